import type { HistogramSnapshot } from '../metrics.js';

/** Default latency buckets in ms, roughly log-spaced from 0.1 ms to 30 s. */
export const LATENCY_BOUNDS_MS = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
] as const;

/** Fixed-bucket histogram; `observe` takes a count so a batch costs one call. */
export class Histogram {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(private readonly bounds: readonly number[] = LATENCY_BOUNDS_MS) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number, times = 1): void {
    let i = 0;
    while (i < this.bounds.length && value > (this.bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + times;
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
