import { invalidOption } from '@tributary/core';
import { checkTarget, checkWeight } from './internal/checks.js';
import { clip } from './internal/linearCore.js';
import { LinearLearner } from './internal/linearLearner.js';
import {
  type LinearModelOptions,
  type LinearRegressor,
  type ResolvedLinearOptions,
  resolveLinearOptions,
} from './linearModel.js';

/** Options of {@link linearRegression}. */
export interface LinearRegressionOptions extends LinearModelOptions {
  /**
   * `'squared'` (default): (p − y)², gradient 2(p − y), as River's `LinearRegression`, so
   * `sgd(lr)` and `interceptLr` take River's steps. `'halfSquared'`: ½(p − y)², gradient
   * p − y (scikit-learn's `SGDRegressor`), half the step at the same rates.
   */
  readonly loss?: 'squared' | 'halfSquared';
}

interface Resolved extends ResolvedLinearOptions {
  readonly loss: 'squared' | 'halfSquared';
}

function resolve(o: LinearRegressionOptions): Resolved {
  const loss = o.loss ?? 'squared';
  if (loss !== 'squared' && loss !== 'halfSquared') {
    throw invalidOption('loss', "'squared' or 'halfSquared'", loss);
  }
  return { ...resolveLinearOptions(o), loss };
}

/**
 * Linear regression trained online on squared loss (SGD, AdaGrad or Adam; L1/L2). The loss is
 * River's, (p − y)² with gradient 2(p − y), so the same rates give River's steps; pass
 * `loss: 'halfSquared'` for the gradient p − y. Scale the features first; see
 * `recursiveLeastSquares` for an exact, rate-free alternative.
 */
export function linearRegression(options: LinearRegressionOptions = {}): LinearRegressor {
  return new LinearRegressionImpl(resolve(options));
}

class LinearRegressionImpl extends LinearLearner<Resolved> implements LinearRegressor {
  readonly kind = 'regressor' as const;
  readonly type = 'linearRegression';
  private readonly factor: number;

  constructor(options: Resolved) {
    super(options, options, options.features);
    this.factor = options.loss === 'squared' ? 2 : 1;
  }

  predict(x: Float64Array): number {
    return this.raw(x);
  }

  learn(x: Float64Array, y: number, weight = 1): void {
    checkTarget(y);
    checkWeight(weight);
    // d((p - y)²)/dp = 2(p - y); d(½(p - y)²)/dp = p - y.
    this.core.step(
      x,
      clip(this.factor * (this.learnRaw(x) - y) * weight, this.options.clipGradient),
    );
  }

  protected create(options: unknown): this {
    return new LinearRegressionImpl(resolve(options as LinearRegressionOptions)) as this;
  }
}
