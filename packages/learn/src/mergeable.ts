import type { JsonValue, LearnerSnapshot } from './learner.js';

/**
 * What a model learnt between two of its states, as plain JSON: the update one worker sends
 * its peers. `records` is how many records (sample weight) it covers; `parts` are the model's
 * arrays with how each combines (`stat` summed, `param` added, `state` averaged by records,
 * `moments` by Chan's parallel formula). Only model parameters and statistics, never records.
 */
export type ModelDelta = {
  /** The learner's snapshot `type`; `applyDelta` accepts only its own. */
  readonly type: string;
  /** Format version of the delta; always 1. */
  readonly version: 1;
  /** The sender's options as in its snapshot; they must match the receiver's (seed aside). */
  readonly options: { readonly [key: string]: JsonValue };
  /** Input dimension (number of features) of the model; -1 while untrained. */
  readonly dim: number;
  /** Records (sample weight) learnt between the base and the current state. */
  readonly records: number;
  /** The model's arrays by name, each with how it combines. */
  readonly parts: {
    readonly [name: string]: {
      /** How it combines: `stat` summed, `param` added, `state` averaged, `moments` by Chan. */
      readonly kind: 'stat' | 'param' | 'state' | 'moments';
      /** The change since the base (`state`: the current value). */
      readonly values: readonly number[];
    };
  };
};

/**
 * A model that can be combined with copies of itself trained on other records, e.g. by
 * workers that each own some partitions (see `modelSync` and docs/scaling-out.md for the rule
 * of each family). Peers must have the same `type` and options (bandit seeds may differ);
 * otherwise `LEARN_BAD_SNAPSHOT`, and other input lengths `LEARN_DIMENSION_MISMATCH`.
 * Learners without a merge rule (Hoeffding trees, half-space trees, sliding-window bandits)
 * do not have this type; at run time they throw `LEARN_NOT_MERGEABLE`.
 */
export interface Mergeable {
  /**
   * Replaces this model with the merge of itself and `peers` (snapshots of models trained on
   * other records): sufficient statistics are summed (exact: the result is the model of all
   * their records), parameters averaged with `weights`, one per model, this one first
   * (default: the records each has learnt).
   */
  merge(peers: readonly LearnerSnapshot[], weights?: readonly number[]): void;
  /** What this model learnt since `base`, an earlier snapshot of itself. */
  delta(base: LearnerSnapshot): ModelDelta;
  /**
   * Folds a peer's {@link ModelDelta} into this model: statistics added, `param` steps added
   * times `stepScale` (default 1, the peer's steps as one learner would take them; 1/k averages
   * k workers' steps, federated averaging, stabler when steps are large).
   */
  applyDelta(delta: ModelDelta, stepScale?: number): void;
}

/** True when `model` has a merge rule (at run time; the types say it too). */
export function isMergeable(model: object): model is Mergeable {
  const m = model as { mergeable?: () => boolean };
  return typeof m.mergeable === 'function' && m.mergeable();
}
