import { checkBoolean, checkWeight } from './internal/checks.js';
import { MarginClassifier } from './internal/marginClassifier.js';
import { type PaResolved, paTau, resolvePa, sqNorm } from './internal/passiveAggressive.js';
import type { LinearClassifier } from './linearModel.js';
import { sgd } from './optimizer.js';

/** Options of {@link passiveAggressiveClassifier}; the defaults are River's `PAClassifier`. */
export interface PassiveAggressiveClassifierOptions {
  /** Aggressiveness (PA-I cap / PA-II slack); default 1. */
  readonly C?: number;
  /** 0: PA, 1: PA-I (default), 2: PA-II. */
  readonly mode?: 0 | 1 | 2;
  /** Learn an intercept (moved by the same step, outside the norm, as River); default true. */
  readonly fitIntercept?: boolean;
  /** Number of features; default: the length of the first vector. */
  readonly features?: number;
}

/**
 * Passive-aggressive binary classifier on hinge loss: no change when the margin is >= 1,
 * otherwise the smallest step (capped by C) that fixes it. `predictProba` is the sigmoid of
 * the margin (a score, as River's).
 */
export function passiveAggressiveClassifier(
  options: PassiveAggressiveClassifierOptions = {},
): LinearClassifier {
  return new PaClassifier(resolvePa(options));
}

class PaClassifier extends MarginClassifier<PaResolved> implements LinearClassifier {
  readonly type = 'passiveAggressiveClassifier';

  constructor(options: PaResolved) {
    // The optimizer is unused: steps are taken with rate 1 and the PA step folded into the gradient.
    super(
      options,
      { optimizer: sgd(1), l1: 0, l2: 0, interceptLr: options.fitIntercept ? 1 : 0 },
      options.features,
    );
  }

  learn(x: Float64Array, y: boolean, weight = 1): void {
    checkBoolean(y);
    checkWeight(weight);
    const sign = y ? 1 : -1;
    const loss = Math.max(0, 1 - sign * this.learnRaw(x));
    const tau = paTau(loss, sqNorm(x), this.options.C, this.options.mode);
    if (tau > 0) this.core.step(x, -tau * sign * weight);
  }

  protected create(options: unknown): this {
    return new PaClassifier(resolvePa(options as PassiveAggressiveClassifierOptions)) as this;
  }
}
