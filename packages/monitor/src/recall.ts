import { confusionMetric } from './internal/confusion.js';
import { ratio } from './internal/numbers.js';
import type { Metric } from './metric.js';
import type { BinaryMetricOptions } from './precision.js';

/** Binary recall: TP / (TP + FN). */
export function recall<Y = boolean>(options: BinaryMetricOptions<Y> = {}): Metric<Y, Y> {
  const positive = (options.positive ?? true) as Y;
  return confusionMetric(
    'recall',
    positive,
    (c) => ratio(c.tp, c.tp + c.fn),
    () => recall(options),
  );
}
