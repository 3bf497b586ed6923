import { confusionMetric } from './internal/confusion.js';
import { ratio } from './internal/numbers.js';
import type { Metric } from './metric.js';
import type { BinaryMetricOptions } from './precision.js';

/** Binary F1, the harmonic mean of precision and recall: 2TP / (2TP + FP + FN). */
export function f1<Y = boolean>(options: BinaryMetricOptions<Y> = {}): Metric<Y, Y> {
  const positive = (options.positive ?? true) as Y;
  return confusionMetric(
    'f1',
    positive,
    (c) => ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
    () => f1(options),
  );
}
