import { TributaryError } from '@tributary/core';
import { defineMetric } from '../defineMetric.js';
import type { Metric } from '../metric.js';
import { hasNumbers, ratio } from './numbers.js';

/** A regression metric over the weighted mean of `loss(y − p)`, finished by `finish`. */
export function errorMean(
  name: string,
  loss: (error: number) => number,
  finish: (mean: number) => number,
  clone: () => Metric<number, number>,
): Metric<number, number> {
  return defineMetric<{ sum: number; n: number }, number, number>({
    name,
    uses: 'prediction',
    biggerIsBetter: false,
    init: () => ({ sum: 0, n: 0 }),
    add(s, y, p, w) {
      checkNumbers(name, y, p);
      s.sum += w * loss(y - p);
      s.n += w;
      return s;
    },
    value: (s) => finish(ratio(s.sum, s.n)),
    isState: (s): s is { sum: number; n: number } => hasNumbers(s, ['sum', 'n']),
    clone,
  });
}

/** MONITOR_BAD_VALUE unless the label and prediction are finite numbers. */
export function checkNumbers(name: string, y: unknown, p: unknown): void {
  if (!Number.isFinite(y) || !Number.isFinite(p)) {
    throw new TributaryError(
      'MONITOR_BAD_VALUE',
      `${name}: label and prediction must be finite numbers`,
      {
        details: { metric: name, y: String(y), p: String(p) },
      },
    );
  }
}
