import { invalidOption } from '@tributary/core';
import { foldFromTop, scoreMetric } from './internal/scoreCounts.js';
import type { Metric } from './metric.js';
import type { RankingMetricOptions } from './rocAuc.js';

/**
 * Exact recall at a target precision: the highest recall over score thresholds (highest first,
 * each tie group taken whole) whose precision is at least `target`; 0 when none reaches it, `NaN`
 * with no positive. The operating point of an alerting system that may raise at most one false
 * alarm per `1/(1 - target) - 1` true ones. Memory as {@link rocAuc}; with `decimals` the
 * thresholds are those between rounded scores, a subset of the exact ones, so the value is at
 * most the exact one.
 */
export function recallAtPrecision<Y = boolean>(
  target: number,
  options: RankingMetricOptions<Y> = {},
): Metric<Y, number> {
  if (typeof target !== 'number' || !(target > 0 && target <= 1)) {
    throw invalidOption('target', 'a precision in (0, 1]', target);
  }
  const positive = (options.positive ?? true) as Y;
  return scoreMetric(
    `recallAtPrecision${target}`,
    positive,
    options.decimals,
    (sorted) =>
      foldFromTop(sorted, (best, _p, tp, fp, total) =>
        tp > 0 && tp / (tp + fp) >= target ? Math.max(best, tp / total) : best,
      ),
    () => recallAtPrecision(target, options),
  );
}
