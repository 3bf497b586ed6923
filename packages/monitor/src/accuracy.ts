import { defineMetric } from './defineMetric.js';
import { hasNumbers, ratio } from './internal/numbers.js';
import type { Metric } from './metric.js';

/** Share of predictions equal to the label (any label type, compared with `===`). */
export function accuracy<Y = boolean>(): Metric<Y, Y> {
  return defineMetric<{ hit: number; n: number }, Y, Y>({
    name: 'accuracy',
    uses: 'prediction',
    biggerIsBetter: true,
    init: () => ({ hit: 0, n: 0 }),
    add(s, y, p, w) {
      if (y === p) s.hit += w;
      s.n += w;
      return s;
    },
    value: (s) => ratio(s.hit, s.n),
    isState: (s): s is { hit: number; n: number } => hasNumbers(s, ['hit', 'n']),
    clone: () => accuracy<Y>(),
  });
}
