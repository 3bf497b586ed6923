import { invalidOption } from '@tributary/core';
import { scoreMetric } from './internal/scoreCounts.js';
import type { Metric } from './metric.js';
import type { BinaryMetricOptions } from './precision.js';

/**
 * Exact recall at a target precision: the highest recall over score thresholds (highest first,
 * each tie group taken whole) whose precision is at least `target`; 0 when none reaches it, `NaN`
 * with no positive. The operating point of an alerting system that may raise at most one false
 * alarm per `1/(1 - target) - 1` true ones. Memory as {@link rocAuc}.
 */
export function recallAtPrecision<Y = boolean>(
  target: number,
  options: BinaryMetricOptions<Y> = {},
): Metric<Y, number> {
  if (typeof target !== 'number' || !(target > 0 && target <= 1)) {
    throw invalidOption('target', 'a precision in (0, 1]', target);
  }
  const positive = (options.positive ?? true) as Y;
  return scoreMetric(
    `recallAtPrecision${target}`,
    positive,
    (sorted) => {
      let total = 0;
      for (const [, p] of sorted) total += p;
      if (total === 0) return Number.NaN;
      let tp = 0;
      let fp = 0;
      let best = 0;
      for (let i = sorted.length - 1; i >= 0; i--) {
        const [, p, n] = sorted[i]!;
        tp += p;
        fp += n;
        if (tp > 0 && tp / (tp + fp) >= target) best = Math.max(best, tp / total);
      }
      return best;
    },
    () => recallAtPrecision(target, options),
  );
}
