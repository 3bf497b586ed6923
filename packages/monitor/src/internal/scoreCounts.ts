import { TributaryError } from '@tributary/core';
import { defineMetric } from '../defineMetric.js';
import type { Metric } from '../metric.js';

/** Weighted positives and negatives per distinct score: exact ranking statistics, revertible. */
export type ScoreCounts = Record<string, [pos: number, neg: number]>;

/** A ranking metric (ROC AUC, average precision) over exact per-score counts. */
export function scoreMetric<Y>(
  name: string,
  positive: Y,
  value: (sorted: readonly [score: number, pos: number, neg: number][]) => number,
  clone: () => Metric<Y, number>,
): Metric<Y, number> {
  return defineMetric<ScoreCounts, Y, number>({
    name,
    uses: 'probability',
    biggerIsBetter: true,
    init: () => ({}),
    add(s, y, p, w) {
      if (typeof p !== 'number' || Number.isNaN(p)) {
        throw new TributaryError('MONITOR_BAD_VALUE', `${name}: the score must be a number`, {
          details: { metric: name, score: String(p) },
        });
      }
      const key = String(p);
      const c = s[key] ?? [0, 0];
      c[y === positive ? 0 : 1] += w;
      // Drop reverted-out scores so a rolling window keeps only what it holds.
      if (Math.abs(c[0]) < 1e-12 && Math.abs(c[1]) < 1e-12) delete s[key];
      else s[key] = c;
      return s;
    },
    value: (s) =>
      value(
        Object.entries(s)
          .map(([k, [pos, neg]]): [number, number, number] => [Number(k), pos, neg])
          .sort((a, b) => a[0] - b[0]),
      ),
    isState: (s): s is ScoreCounts =>
      typeof s === 'object' &&
      s !== null &&
      Object.values(s).every(
        (v) => Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number'),
      ),
    clone,
  });
}
