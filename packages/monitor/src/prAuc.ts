import { foldFromTop, scoreMetric } from './internal/scoreCounts.js';
import type { Metric } from './metric.js';
import type { RankingMetricOptions } from './rocAuc.js';

/**
 * Area under the precision-recall curve as average precision (scikit-learn's
 * `average_precision_score`): Σ (Rₖ − Rₖ₋₁)·Pₖ over score thresholds, highest first, with no
 * interpolation between thresholds (not the trapezoidal area). Exact, or over rounded scores
 * with `decimals`; memory as {@link rocAuc}.
 * Over a window, `rolling(prAuc(), n)`; River's `RollingPRAUC(window_size=4)` gives the same
 * 0.8333 on the example of its documentation (not compared further).
 */
export function prAuc<Y = boolean>(options: RankingMetricOptions<Y> = {}): Metric<Y, number> {
  const positive = (options.positive ?? true) as Y;
  return scoreMetric(
    'prAuc',
    positive,
    options.decimals,
    (sorted) => foldFromTop(sorted, (ap, p, tp, fp, total) => ap + (p / total) * (tp / (tp + fp))),
    () => prAuc(options),
  );
}
