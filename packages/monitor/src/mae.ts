import { errorMean } from './internal/errorMean.js';
import type { Metric } from './metric.js';

/** Mean absolute error. */
export function mae(): Metric<number, number> {
  return errorMean('mae', Math.abs, (m) => m, mae);
}
