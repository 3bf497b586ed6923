import { scoreMetric } from './internal/scoreCounts.js';
import type { Metric } from './metric.js';
import type { BinaryMetricOptions } from './precision.js';

/** Options of the ranking metrics ({@link rocAuc}, `prAuc`, `recallAtPrecision`). */
export interface RankingMetricOptions<Y> extends BinaryMetricOptions<Y> {
  /**
   * Round each score to this many decimal places before counting it (an integer from 0 to 15;
   * `Math.round(p·10^d) / 10^d`): memory stays at most 10^decimals + 1 counter pairs for scores
   * in [0, 1], however long the run, and the value is the exact metric of the rounded scores,
   * where scores in one slot are ties. Rounding keeps the order of scores in different slots,
   * so ROC AUC moves by at most half the share of positive–negative pairs whose scores share a
   * slot, and recall at precision can only fall (its thresholds are some of the exact ones).
   * Use it for whole-run metrics over float probabilities: in the fraud example, `4` moved the
   * whole-run ROC AUC by 0.00001, PR AUC by 0.0003 and recall at precision 0.9 by 0.001 over
   * 100,000 labels and cut each metric's snapshot from 2.4 MB to 88 KB. Inside `rolling` the
   * window bounds memory already. A restored snapshot of the exact metric is folded into the
   * slots on its first update or read. Default: exact (one counter pair per distinct score).
   */
  readonly decimals?: number;
}

/**
 * ROC AUC: the probability that a positive scores above a negative, ties counting half. Exact
 * by default, keeping one counter pair per distinct score (a hash map on the score: O(1) per
 * update, a sort only when the value is read), so memory grows with distinct scores: use it
 * inside `rolling` (exact over the window), on scores of bounded precision, or with `decimals`
 * (bounded memory, scores rounded: see {@link RankingMetricOptions.decimals}).
 */
export function rocAuc<Y = boolean>(options: RankingMetricOptions<Y> = {}): Metric<Y, number> {
  const positive = (options.positive ?? true) as Y;
  return scoreMetric(
    'rocAuc',
    positive,
    options.decimals,
    (sorted) => {
      let negBelow = 0;
      let pos = 0;
      let area = 0;
      for (const [, p, n] of sorted) {
        area += p * (negBelow + n / 2);
        negBelow += n;
        pos += p;
      }
      return pos === 0 || negBelow === 0 ? Number.NaN : area / (pos * negBelow);
    },
    () => rocAuc(options),
  );
}
