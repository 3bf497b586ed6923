import type { LearnerSnapshot } from './learner.js';

/** A multi-armed bandit policy over arms `0..arms-1`. */
export interface Bandit {
  /** The snapshot `type` this policy writes and restores. */
  readonly type: string;
  /** Number of arms (the `arms` option). */
  readonly arms: number;
  /** Chooses an arm to play. */
  select(): number;
  /** Records the reward of playing `arm`. */
  update(arm: number, reward: number): void;
  /** Pulls and mean reward per arm (copies). */
  stats(): {
    /** Rewards recorded per arm (calls of `update`), indexed by arm. */
    readonly pulls: Float64Array;
    /** Mean recorded reward per arm; 0 for an arm never updated. */
    readonly meanReward: Float64Array;
  };
  /** The policy as plain JSON (options, statistics and the RNG state). */
  snapshot(): LearnerSnapshot;
  /** Replaces options and state with a snapshot of the same `type`. */
  restore(snapshot: LearnerSnapshot): void;
  /** A fresh policy with the same options (and seed). */
  clone(): Bandit;
}

/** A contextual bandit: the choice depends on a feature vector describing the situation. */
export interface ContextualBandit {
  /** The snapshot `type` this policy writes and restores. */
  readonly type: string;
  /** Number of arms (the `arms` option). */
  readonly arms: number;
  /** Chooses an arm for context `x`. */
  select(x: Float64Array): number;
  /** Records the reward of playing `arm` in context `x`. */
  update(arm: number, x: Float64Array, reward: number): void;
  /** The policy as plain JSON (options, statistics and the RNG state). */
  snapshot(): LearnerSnapshot;
  /** Replaces options and state with a snapshot of the same `type`. */
  restore(snapshot: LearnerSnapshot): void;
  /** A fresh policy with the same options (and seed). */
  clone(): ContextualBandit;
}
