import type { HistogramSnapshot } from '../metrics.js';

// Ten steps per decade (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8): a bucket is at most a third wider
// than the one below it, so a quantile read at a bucket bound is within 33 % at any scale.
const STEPS = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8] as const;

/** Default latency buckets in ms: 0.1 ms to 60 s, ten log-spaced steps per decade. */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  ...[0.1, 1, 10, 100, 1000, 10_000].flatMap((decade) =>
    // Rounded so the bounds print as written (0.30000000000000004 would not).
    STEPS.map((s) => Number((decade * s).toPrecision(3))),
  ),
].filter((b) => b <= 60_000);

/** Fixed-bucket histogram; `observe` takes a count so a batch costs one call. */
export class Histogram {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(private readonly bounds: readonly number[] = LATENCY_BOUNDS_MS) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number, times = 1): void {
    // First bound >= value (binary search: the default has 60 buckets).
    let lo = 0;
    let hi = this.bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (value > (this.bounds[mid] as number)) lo = mid + 1;
      else hi = mid;
    }
    this.counts[lo] = (this.counts[lo] as number) + times;
    this.sum += value * times;
    this.count += times;
  }

  snapshot(): HistogramSnapshot {
    return {
      bounds: this.bounds,
      counts: Array.from(this.counts),
      sum: this.sum,
      count: this.count,
    };
  }
}
