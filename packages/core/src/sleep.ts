/**
 * Resolves after `ms` milliseconds. With a `signal`, it rejects with the signal's reason as soon
 * as the signal aborts (at once if it already has) and clears its timer, so a stopping stage or
 * sink is not held up by a backoff; `.catch(() => {})` turns that into an early wake-up.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal === undefined) return new Promise((resolve) => setTimeout(resolve, ms));
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
