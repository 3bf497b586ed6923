import { checkTarget, checkWeight, positive } from './internal/checks.js';
import { LinearLearner } from './internal/linearLearner.js';
import { type PaResolved, paTau, resolvePa, sqNorm } from './internal/passiveAggressive.js';
import type { LinearRegressor } from './linearModel.js';
import { sgd } from './optimizer.js';

/** Options of {@link passiveAggressiveRegressor}; the defaults are River's `PARegressor`. */
export interface PassiveAggressiveRegressorOptions {
  /** Aggressiveness (PA-I cap / PA-II slack); default 1. */
  readonly C?: number;
  /** 0: PA, 1: PA-I (default), 2: PA-II. */
  readonly mode?: 0 | 1 | 2;
  /** Width of the insensitive zone; default 0.1. */
  readonly epsilon?: number;
  /** Learn an intercept; default true. */
  readonly fitIntercept?: boolean;
  /** Number of features; default: the length of the first vector. */
  readonly features?: number;
}

function resolve(o: PassiveAggressiveRegressorOptions): PaResolved {
  return { ...resolvePa(o), epsilon: positive('epsilon', o.epsilon ?? 0.1, true) };
}

/** Passive-aggressive regressor on the ε-insensitive loss. */
export function passiveAggressiveRegressor(
  options: PassiveAggressiveRegressorOptions = {},
): LinearRegressor {
  return new PaRegressor(resolve(options));
}

class PaRegressor extends LinearLearner<PaResolved> implements LinearRegressor {
  readonly kind = 'regressor' as const;
  readonly type = 'passiveAggressiveRegressor';

  constructor(options: PaResolved) {
    super(
      options,
      { optimizer: sgd(1), l1: 0, l2: 0, interceptLr: options.fitIntercept ? 1 : 0 },
      options.features,
    );
  }

  predict(x: Float64Array): number {
    return this.raw(x);
  }

  learn(x: Float64Array, y: number, weight = 1): void {
    checkTarget(y);
    checkWeight(weight);
    const err = y - this.learnRaw(x);
    const loss = Math.max(0, Math.abs(err) - (this.options.epsilon ?? 0.1));
    const tau = paTau(loss, sqNorm(x), this.options.C, this.options.mode);
    if (tau > 0) this.core.step(x, -tau * Math.sign(err) * weight);
  }

  protected create(options: unknown): this {
    return new PaRegressor(resolve(options as PassiveAggressiveRegressorOptions)) as this;
  }
}
