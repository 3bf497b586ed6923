import { confusionMetric } from './internal/confusion.js';
import { ratio } from './internal/numbers.js';
import type { Metric } from './metric.js';

/** Options of binary classification metrics. */
export interface BinaryMetricOptions<Y> {
  /** The positive label. Default `true`. */
  readonly positive?: Y;
}

/** Binary precision: TP / (TP + FP). */
export function precision<Y = boolean>(options: BinaryMetricOptions<Y> = {}): Metric<Y, Y> {
  const positive = (options.positive ?? true) as Y;
  return confusionMetric(
    'precision',
    positive,
    (c) => ratio(c.tp, c.tp + c.fp),
    () => precision(options),
  );
}
