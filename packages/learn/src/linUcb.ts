import type { ContextualBandit } from './bandit.js';
import { integer, positive } from './internal/checks.js';
import { type LinearArmOptions, LinearArms } from './internal/linearArms.js';
import type { Mergeable } from './mergeable.js';

/** Options of {@link linUcb}. */
export interface LinUcbOptions {
  /** Number of arms. */
  readonly arms: number;
  /** Width α of the confidence bonus; default 1. */
  readonly alpha?: number;
  /** Ridge penalty λ (A starts as λ·I); default 1. */
  readonly lambda?: number;
  /** RNG seed (tie-breaks); default 42. */
  readonly seed?: number;
  /** Context dimension; default: the length of the first vector. */
  readonly features?: number;
  /**
   * Forget all but the last `window` updates (over all arms): a sliding-window bandit for
   * markets that move. Default: keep everything.
   */
  readonly window?: number;
}

interface Resolved extends LinearArmOptions {
  readonly alpha: number;
}

function resolve(o: LinUcbOptions): Resolved {
  return {
    arms: integer('arms', o.arms, 1),
    alpha: positive('alpha', o.alpha ?? 1, true),
    lambda: positive('lambda', o.lambda ?? 1),
    seed: integer('seed', o.seed ?? 42, 0),
    ...(o.features === undefined ? {} : { features: integer('features', o.features, 1) }),
    ...(o.window === undefined ? {} : { window: integer('window', o.window, 1) }),
  };
}

/**
 * Disjoint LinUCB (Li et al., 2010): a ridge regression of reward on context per arm; plays the
 * arm maximising θᵀx + α·sqrt(xᵀA⁻¹x). Put a constant 1 in the context for a per-arm bias.
 * With `window`, it is sliding-window LinUCB (Cheung, Simchi-Levi & Zhu, 2019): updates older
 * than the last `window` are subtracted again (Sherman–Morrison downdates, rebuilt exactly once
 * per window), so an arm not played lately regains its exploration bonus.
 */
export function linUcb(options: LinUcbOptions): ContextualBandit & Mergeable {
  return new LinUcb(resolve(options));
}

class LinUcb extends LinearArms<Resolved> implements ContextualBandit, Mergeable {
  readonly type = 'linUcb';

  score(arm: number, x: Float64Array): number {
    const q = this.solve(arm, x);
    // θᵀx = bᵀA⁻¹x since A⁻¹ is symmetric.
    const d = this.dim;
    let mean = 0;
    for (let i = 0; i < d; i++) mean += this.b[arm * d + i]! * this.v[i]!;
    return mean + this.options.alpha * Math.sqrt(Math.max(q, 0));
  }

  protected create(options: unknown): this {
    return new LinUcb(resolve(options as LinUcbOptions)) as this;
  }
}
