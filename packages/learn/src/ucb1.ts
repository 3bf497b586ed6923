import type { Bandit } from './bandit.js';
import { type ArmOptions, ArmStats } from './internal/armStats.js';
import { integer, positive } from './internal/checks.js';
import type { Mergeable } from './mergeable.js';

/** Options of {@link ucb1}. */
export interface Ucb1Options {
  /** Number of arms. */
  readonly arms: number;
  /** Width of the confidence bonus c in mean + c·sqrt(ln t / n); default √2 (UCB1). */
  readonly exploration?: number;
  /** RNG seed (tie-breaks); default 42. */
  readonly seed?: number;
}

interface Resolved extends ArmOptions {
  readonly exploration: number;
}

function resolve(o: Ucb1Options): Resolved {
  return {
    arms: integer('arms', o.arms, 1),
    exploration: positive('exploration', o.exploration ?? Math.SQRT2, true),
    seed: integer('seed', o.seed ?? 42, 0),
  };
}

/**
 * UCB1 (Auer et al., 2002): plays each arm once, then the arm maximising
 * mean + c·sqrt(ln t / n_arm). Rewards are expected in [0, 1].
 */
export function ucb1(options: Ucb1Options): Bandit & Mergeable {
  return new Ucb1(resolve(options));
}

class Ucb1 extends ArmStats<Resolved> implements Bandit, Mergeable {
  readonly type = 'ucb1';
  private logT = 0;

  select(): number {
    const first = this.untried();
    if (first >= 0) return first;
    this.logT = Math.log(this.total);
    return this.argmax();
  }

  score(arm: number): number {
    const n = this.pulls[arm]!;
    return this.sums[arm]! / n + this.options.exploration * Math.sqrt(this.logT / n);
  }

  protected create(options: unknown): this {
    return new Ucb1(resolve(options as Ucb1Options)) as this;
  }
}
