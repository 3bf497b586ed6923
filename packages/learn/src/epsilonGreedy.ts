import type { Bandit } from './bandit.js';
import { type ArmOptions, ArmStats } from './internal/armStats.js';
import { between, integer, positive } from './internal/checks.js';
import type { Mergeable } from './mergeable.js';

/** Options of {@link epsilonGreedy}. */
export interface EpsilonGreedyOptions {
  /** Number of arms. */
  readonly arms: number;
  /** Probability of exploring a random arm; default 0.1. */
  readonly epsilon?: number;
  /** Exploration decays as epsilon·exp(−decay·t) after t updates; default 0 (constant). */
  readonly decay?: number;
  /** RNG seed; default 42. */
  readonly seed?: number;
}

interface Resolved extends ArmOptions {
  readonly epsilon: number;
  readonly decay: number;
}

function resolve(o: EpsilonGreedyOptions): Resolved {
  return {
    arms: integer('arms', o.arms, 1),
    epsilon: between('epsilon', o.epsilon ?? 0.1, 0, 1),
    decay: positive('decay', o.decay ?? 0, true),
    seed: integer('seed', o.seed ?? 42, 0),
  };
}

/**
 * ε-greedy: plays each arm once, then with probability ε a uniformly random arm and otherwise
 * the arm with the best mean reward (ties broken at random).
 */
export function epsilonGreedy(options: EpsilonGreedyOptions): Bandit & Mergeable {
  return new EpsilonGreedy(resolve(options));
}

class EpsilonGreedy extends ArmStats<Resolved> implements Bandit, Mergeable {
  readonly type = 'epsilonGreedy';

  select(): number {
    const first = this.untried();
    if (first >= 0) return first;
    const { epsilon, decay, arms } = this.options;
    if (this.rng.next() < epsilon * Math.exp(-decay * this.total)) return this.rng.int(arms);
    return this.argmax();
  }

  score(arm: number): number {
    return this.sums[arm]! / this.pulls[arm]!;
  }

  protected create(options: unknown): this {
    return new EpsilonGreedy(resolve(options as EpsilonGreedyOptions)) as this;
  }
}
