import { defineMetric } from '../defineMetric.js';
import type { Metric } from '../metric.js';
import { hasNumbers } from './numbers.js';

/** Weighted binary confusion counts. */
export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

const KEYS = ['tp', 'fp', 'fn', 'tn'] as const;

/** A binary metric computed from confusion counts, with `positive` as the positive label. */
export function confusionMetric<Y>(
  name: string,
  positive: Y,
  value: (c: Confusion) => number,
  clone: () => Metric<Y, Y>,
): Metric<Y, Y> {
  return defineMetric<Confusion, Y, Y>({
    name,
    uses: 'prediction',
    biggerIsBetter: true,
    init: () => ({ tp: 0, fp: 0, fn: 0, tn: 0 }),
    add(c, y, p, w) {
      const actual = y === positive;
      const predicted = p === positive;
      if (actual && predicted) c.tp += w;
      else if (predicted) c.fp += w;
      else if (actual) c.fn += w;
      else c.tn += w;
      return c;
    },
    value,
    isState: (s): s is Confusion => hasNumbers(s, KEYS),
    clone,
  });
}
