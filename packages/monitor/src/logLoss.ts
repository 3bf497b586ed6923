import { TributaryError } from '@tributary/core';
import { defineMetric } from './defineMetric.js';
import { hasNumbers, ratio } from './internal/numbers.js';
import type { Metric } from './metric.js';
import type { BinaryMetricOptions } from './precision.js';

const EPS = 1e-15;

/** Binary log loss (cross-entropy) of the positive-class probability, clipped to [1e-15, 1 − 1e-15]. */
export function logLoss<Y = boolean>(options: BinaryMetricOptions<Y> = {}): Metric<Y, number> {
  const positive = (options.positive ?? true) as Y;
  return defineMetric<{ sum: number; n: number }, Y, number>({
    name: 'logLoss',
    uses: 'probability',
    biggerIsBetter: false,
    init: () => ({ sum: 0, n: 0 }),
    add(s, y, p, w) {
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
        throw new TributaryError(
          'MONITOR_BAD_VALUE',
          'logLoss: the probability must be in [0, 1]',
          {
            details: { metric: 'logLoss', probability: String(p) },
          },
        );
      }
      const q = Math.min(1 - EPS, Math.max(EPS, p));
      s.sum += w * -Math.log(y === positive ? q : 1 - q);
      s.n += w;
      return s;
    },
    value: (s) => ratio(s.sum, s.n),
    isState: (s): s is { sum: number; n: number } => hasNumbers(s, ['sum', 'n']),
    clone: () => logLoss(options),
  });
}
