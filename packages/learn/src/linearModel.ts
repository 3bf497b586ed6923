import { integer, positive } from './internal/checks.js';
import type { BinaryClassifier, Regressor } from './learner.js';
import type { Mergeable } from './mergeable.js';
import { type Optimizer, resolveOptimizer, sgd } from './optimizer.js';

/** Options of the SGD-trained linear models; the defaults are River's. */
export interface LinearModelOptions {
  /** Weight optimizer; default `sgd(0.01)`. */
  readonly optimizer?: Optimizer;
  /** L1 penalty (proximal soft-thresholding at the optimizer's base rate); default 0. */
  readonly l1?: number;
  /** L2 penalty; default 0. */
  readonly l2?: number;
  /** Learning rate of the intercept (plain SGD); default 0.01, 0 disables the intercept. */
  readonly interceptLr?: number;
  /** Bound on the absolute loss gradient; default 1e12. */
  readonly clipGradient?: number;
  /** Number of features; default: the length of the first vector. */
  readonly features?: number;
}

/** {@link LinearModelOptions} with defaults applied. */
export interface ResolvedLinearOptions {
  readonly optimizer: Optimizer;
  readonly l1: number;
  readonly l2: number;
  readonly interceptLr: number;
  readonly clipGradient: number;
  readonly features?: number;
}

/** Validates linear-model options and applies the defaults. */
export function resolveLinearOptions(o: LinearModelOptions): ResolvedLinearOptions {
  return {
    optimizer: resolveOptimizer(o.optimizer, sgd(0.01)),
    l1: positive('l1', o.l1 ?? 0, true),
    l2: positive('l2', o.l2 ?? 0, true),
    interceptLr: positive('interceptLr', o.interceptLr ?? 0.01, true),
    clipGradient: positive('clipGradient', o.clipGradient ?? 1e12),
    ...(o.features === undefined ? {} : { features: integer('features', o.features, 1) }),
  };
}

/** Weights (a copy) and intercept of a linear model, e.g. for explanations. */
export interface LinearWeights {
  /** One weight per feature, in the input's column order; empty until the dimension is fixed. */
  readonly weights: Float64Array;
  /** The intercept (bias) added to w·x; 0 when `interceptLr` is 0. */
  readonly intercept: number;
}

/** A linear binary classifier whose weights can be read; mergeable (parameter averaging). */
export interface LinearClassifier extends BinaryClassifier, Mergeable {
  /** The weights (a copy) and the intercept. */
  linearWeights(): LinearWeights;
  clone(): LinearClassifier;
}

/** A linear regressor whose weights can be read; mergeable (parameter averaging). */
export interface LinearRegressor extends Regressor, Mergeable {
  /** The weights (a copy) and the intercept. */
  linearWeights(): LinearWeights;
  clone(): LinearRegressor;
}
