import { checkTarget, checkWeight } from './internal/checks.js';
import { clip } from './internal/linearCore.js';
import { LinearLearner } from './internal/linearLearner.js';
import {
  type LinearModelOptions,
  type LinearRegressor,
  type ResolvedLinearOptions,
  resolveLinearOptions,
} from './linearModel.js';

/**
 * Linear regression trained online on squared loss (SGD, AdaGrad or Adam; L1/L2), with the
 * gradient of ½(p − y)², so a step is half of River's `LinearRegression` (whose loss gradient
 * is 2(p − y)) at the same learning rate. Scale the features first; see `recursiveLeastSquares` for
 * an exact, rate-free alternative.
 */
export function linearRegression(options: LinearModelOptions = {}): LinearRegressor {
  return new LinearRegressionImpl(resolveLinearOptions(options));
}

class LinearRegressionImpl extends LinearLearner<ResolvedLinearOptions> implements LinearRegressor {
  readonly kind = 'regressor' as const;
  readonly type = 'linearRegression';

  constructor(options: ResolvedLinearOptions) {
    super(options, options, options.features);
  }

  predict(x: Float64Array): number {
    return this.raw(x);
  }

  learn(x: Float64Array, y: number, weight = 1): void {
    checkTarget(y);
    checkWeight(weight);
    // d(½(p - y)²)/dp = p - y.
    this.core.step(x, clip((this.raw(x) - y) * weight, this.options.clipGradient));
  }

  protected create(options: unknown): this {
    return new LinearRegressionImpl(resolveLinearOptions(options as LinearModelOptions)) as this;
  }
}
