import { errorMean } from './internal/errorMean.js';
import type { Metric } from './metric.js';

/** Root mean squared error. */
export function rmse(): Metric<number, number> {
  return errorMean('rmse', (e) => e * e, Math.sqrt, rmse);
}
