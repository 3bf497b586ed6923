import { invalidOption } from '@tributary/core';
import { positive } from './internal/checks.js';

/** Plain stochastic gradient descent with a constant learning rate. */
export interface SgdSpec {
  readonly type: 'sgd';
  readonly lr: number;
}

/** AdaGrad: per-weight rates shrink with the sum of squared gradients. */
export interface AdaGradSpec {
  readonly type: 'adagrad';
  readonly lr: number;
  readonly eps: number;
}

/** Adam: bias-corrected first and second moment estimates. */
export interface AdamSpec {
  readonly type: 'adam';
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
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
