/** How a failing stage or sink is retried before its error policy applies. */
export interface RetryOptions {
  /** Attempts after the first; 0 disables retries. */
  readonly retries: number;
  /** Delay before the first retry, in ms. */
  readonly initialDelayMs?: number;
  /** Cap on any delay, in ms. */
  readonly maxDelayMs?: number;
  /** Growth of the delay per attempt. */
  readonly factor?: number;
  /** 'full' draws each delay uniformly from [0, delay] (AWS "full jitter"); 'none' keeps it exact. */
  readonly jitter?: 'full' | 'none';
  /**
   * Return false for errors not worth retrying (e.g. validation errors). Default
   * {@link isRetryable}: every error except one that says `retryable: false`.
   */
  readonly retryable?: (error: unknown) => boolean;
}

/** False for an error that says trying again cannot help (`retryable: false`, see TributaryError). */
export function isRetryable(error: unknown): boolean {
  return (
    typeof error !== 'object' ||
    error === null ||
    (error as { retryable?: unknown }).retryable !== false
  );
}

/** Delay before retry number `attempt` (1-based), with `random` in [0, 1). */
export function backoffDelay(
  options: RetryOptions,
  attempt: number,
  random: () => number = Math.random,
): number {
  const initial = options.initialDelayMs ?? 100;
  const max = options.maxDelayMs ?? 30_000;
  const factor = options.factor ?? 2;
  const exact = Math.min(max, initial * factor ** (attempt - 1));
  return options.jitter === 'none' ? exact : Math.floor(random() * exact);
}
