import { scoreMetric } from './internal/scoreCounts.js';
import type { Metric } from './metric.js';
import type { BinaryMetricOptions } from './precision.js';

/**
 * Exact ROC AUC: the probability that a positive scores above a negative, ties counting half.
 * Keeps one counter pair per distinct score (a hash map on the score: O(1) per update, a sort
 * only when the value is read), so memory grows with distinct scores: use it inside `rolling`
 * (exact over the window) or on scores of bounded precision.
 */
export function rocAuc<Y = boolean>(options: BinaryMetricOptions<Y> = {}): Metric<Y, number> {
  const positive = (options.positive ?? true) as Y;
  return scoreMetric(
    'rocAuc',
    positive,
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
