import { invalidOption } from '@tributary/core';
import { positive } from './internal/checks.js';

/** Plain stochastic gradient descent with a constant learning rate. */
export interface SgdSpec {
  /** Which optimizer: `'sgd'`. */
  readonly type: 'sgd';
  /**
   * Learning rate: each step is w −= lr·(gradient + l2·w); `sgd()`'s default 0.01 is River's
   * (with `linearRegression`'s default squared loss the steps are River's too).
   */
  readonly lr: number;
}

/** AdaGrad: per-weight rates shrink with the sum of squared gradients. */
export interface AdaGradSpec {
  /** Which optimizer: `'adagrad'`. */
  readonly type: 'adagrad';
  /**
   * Base rate, divided per weight by √(Σg² + eps); also the rate of the L1 soft-threshold;
   * `adagrad()`'s default 0.1 is River's.
   */
  readonly lr: number;
  /** Added to the sum of squared gradients under the square root; `adagrad()`'s default 1e-8. */
  readonly eps: number;
}

/** Adam: bias-corrected first and second moment estimates. */
export interface AdamSpec {
  /** Which optimizer: `'adam'`. */
  readonly type: 'adam';
  /**
   * Base rate, bias-corrected at step t to lr·√(1 − beta2ᵗ)/(1 − beta1ᵗ); also the rate of the
   * L1 soft-threshold; `adam()`'s default 0.1 is River's.
   */
  readonly lr: number;
  /** Decay of the first-moment (mean gradient) estimate, in [0, 1); `adam()`'s default 0.9. */
  readonly beta1: number;
  /** Decay of the second-moment estimate, in [0, 1); `adam()`'s default 0.999. */
  readonly beta2: number;
  /** Added to √v in the step's denominator; `adam()`'s default 1e-8. */
  readonly eps: number;
}

/** How a linear model updates its weights: plain data, so it travels in snapshots. */
export type Optimizer = SgdSpec | AdaGradSpec | AdamSpec;

/** SGD with learning rate `lr` (River's default is 0.01). */
export function sgd(lr = 0.01): SgdSpec {
  return { type: 'sgd', lr: positive('lr', lr) };
}

/** AdaGrad with base rate `lr` (default 0.1, as River). */
export function adagrad(lr = 0.1, eps = 1e-8): AdaGradSpec {
  return { type: 'adagrad', lr: positive('lr', lr), eps: positive('eps', eps) };
}

/** Adam with base rate `lr` (default 0.1, as River) and moment decays `beta1`, `beta2`. */
export function adam(lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8): AdamSpec {
  if (!(beta1 >= 0 && beta1 < 1)) throw invalidBeta('beta1', beta1);
  if (!(beta2 >= 0 && beta2 < 1)) throw invalidBeta('beta2', beta2);
  return { type: 'adam', lr: positive('lr', lr), beta1, beta2, eps: positive('eps', eps) };
}

function invalidBeta(name: string, v: number) {
  return invalidOption(name, 'a number in [0, 1)', v);
}

/** Validates an optimizer spec (e.g. read from a snapshot); `undefined` gives `fallback`. */
export function resolveOptimizer(spec: unknown, fallback: Optimizer): Optimizer {
  if (spec === undefined) return fallback;
  const o = spec as { type?: unknown; lr?: number; beta1?: number; beta2?: number; eps?: number };
  if (o.type === 'sgd') return sgd(o.lr);
  if (o.type === 'adagrad') return adagrad(o.lr, o.eps);
  if (o.type === 'adam') return adam(o.lr, o.beta1, o.beta2, o.eps);
  throw invalidOption('optimizer', 'sgd(), adagrad() or adam()', spec);
}
