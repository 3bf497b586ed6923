/** Keeps the member alive while `work` holds a batch handler (backpressure, slow stages, waits). */
export async function withHeartbeat<T>(
  work: Promise<T>,
  heartbeat: () => Promise<void>,
  everyMs: number,
): Promise<T> {
  const timer = setInterval(() => {
    heartbeat().catch(() => {
      // A rebalance is under way: the client rejoins after this batch.
    });
  }, everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
