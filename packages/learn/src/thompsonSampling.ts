import { invalidOption } from '@tributary/core';
import type { Bandit } from './bandit.js';
import { type ArmOptions, ArmStats } from './internal/armStats.js';
import { integer, positive } from './internal/checks.js';
import { learnError } from './internal/errors.js';
import type { Mergeable } from './mergeable.js';

/** Options of {@link thompsonSampling}. */
export interface ThompsonSamplingOptions {
  /** Number of arms. */
  readonly arms: number;
  /**
   * 'beta' (default): rewards in [0, 1] (e.g. conversions), Beta(1 + Σr, 1 + Σ(1 − r)) posterior.
   * 'gaussian': real rewards with noise sd `sigma`, N(Σr/(n+1), sigma²/(n+1)) posterior
   * (prior N(0, sigma²)).
   */
  readonly prior?: 'beta' | 'gaussian';
  /** Reward noise sd of the Gaussian model; default 1. */
  readonly sigma?: number;
  /** RNG seed; default 42. */
  readonly seed?: number;
}

interface Resolved extends ArmOptions {
  readonly prior: 'beta' | 'gaussian';
  readonly sigma: number;
}

function resolve(o: ThompsonSamplingOptions): Resolved {
  const prior = o.prior ?? 'beta';
  if (prior !== 'beta' && prior !== 'gaussian') {
    throw invalidOption('prior', "'beta' or 'gaussian'", prior);
  }
  return {
    arms: integer('arms', o.arms, 1),
    prior,
    sigma: positive('sigma', o.sigma ?? 1),
    seed: integer('seed', o.seed ?? 42, 0),
  };
}

/** Thompson sampling: plays the arm whose mean reward, drawn from its posterior, is highest. */
export function thompsonSampling(options: ThompsonSamplingOptions): Bandit & Mergeable {
  return new Thompson(resolve(options));
}

class Thompson extends ArmStats<Resolved> implements Bandit, Mergeable {
  readonly type = 'thompsonSampling';

  select(): number {
    return this.argmax();
  }

  override update(arm: number, reward: number): void {
    if (this.options.prior === 'beta' && !(reward >= 0 && reward <= 1)) {
      throw learnError(
        'LEARN_BAD_LABEL',
        `Beta Thompson sampling needs rewards in [0, 1], got ${reward}`,
        {
          reward,
        },
      );
    }
    super.update(arm, reward);
  }

  score(arm: number): number {
    const n = this.pulls[arm]!;
    const s = this.sums[arm]!;
    if (this.options.prior === 'beta') return this.rng.beta(1 + s, 1 + n - s);
    const sd = this.options.sigma / Math.sqrt(n + 1);
    return s / (n + 1) + sd * this.rng.normal();
  }

  protected create(options: unknown): this {
    return new Thompson(resolve(options as ThompsonSamplingOptions)) as this;
  }
}
