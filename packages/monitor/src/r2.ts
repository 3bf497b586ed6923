import { defineMetric } from './defineMetric.js';
import { checkNumbers } from './internal/errorMean.js';
import { hasNumbers } from './internal/numbers.js';
import type { Metric } from './metric.js';

interface R2State {
  /** Weighted count, mean and sum of squared deviations of y (West's weighted Welford, revertible). */
  n: number;
  mean: number;
  m2: number;
  /** Weighted sum of squared residuals. */
  ssr: number;
}

/** Coefficient of determination: 1 − SSres / SStot, with SStot around the running mean of y. */
export function r2(): Metric<number, number> {
  return defineMetric<R2State, number, number>({
    name: 'r2',
    uses: 'prediction',
    biggerIsBetter: true,
    init: () => ({ n: 0, mean: 0, m2: 0, ssr: 0 }),
    add(s, y, p, w) {
      checkNumbers('r2', y, p);
      const n = s.n + w;
      if (n <= 1e-12) return { n: 0, mean: 0, m2: 0, ssr: 0 };
      const delta = y - s.mean;
      s.mean += (w * delta) / n;
      s.m2 += w * delta * (y - s.mean);
      s.n = n;
      s.ssr += w * (y - p) * (y - p);
      return s;
    },
    // A spread this small relative to the mean is rounding left by reverts: y is constant, R² undefined.
    value: (s) =>
      s.m2 <= 1e-10 * s.n * Math.max(1, s.mean * s.mean) ? Number.NaN : 1 - s.ssr / s.m2,
    isState: (s): s is R2State => hasNumbers(s, ['n', 'mean', 'm2', 'ssr']),
    clone: r2,
  });
}
