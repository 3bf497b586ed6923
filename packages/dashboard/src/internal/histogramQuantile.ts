import type { HistogramSnapshot } from '@tributary/core';

/**
 * The `q`-quantile of the observations between two snapshots of one histogram (`before`
 * undefined: since the start), interpolated linearly inside its bucket as Prometheus'
 * `histogram_quantile` does. Observations beyond the last bound count as the last bound.
 * Undefined when no observation fell in between.
 */
export function histogramQuantile(
  now: HistogramSnapshot,
  before: HistogramSnapshot | undefined,
  q: number,
): number | undefined {
  const deltas = now.counts.map((c, i) => c - (before?.counts[i] ?? 0));
  const total = deltas.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return undefined;
  const rank = q * total;
  let seen = 0;
  for (const [i, n] of deltas.entries()) {
    if (n <= 0) continue;
    if (seen + n >= rank) {
      const upper = now.bounds[i];
      if (upper === undefined) return now.bounds.at(-1);
      const lower = i === 0 ? 0 : (now.bounds[i - 1] as number);
      return lower + (upper - lower) * ((rank - seen) / n);
    }
    seen += n;
  }
  return now.bounds.at(-1);
}
