import type { JsonValue } from './jsonValue.js';

/**
 * A learner's full state as plain JSON: its `type`, its options (hyperparameters) and its
 * fitted state. `restore` adopts both, so a snapshot is enough to rebuild the model.
 */
// A type alias (not an interface) so a snapshot is itself a JsonValue and can be nested.
export type LearnerSnapshot = {
  /** The learner's snapshot `type`, e.g. `'logisticRegression'`; `restore` accepts only its own. */
  readonly type: string;
  /** Format version of the snapshot envelope; always 1. */
  readonly version: 1;
  /** The options the learner was built with, defaults applied (undefined ones left out). */
  readonly options: { readonly [key: string]: JsonValue };
  /** The fitted state (weights, statistics, RNG state), in the learner's own layout. */
  readonly state: JsonValue;
};

/** One saved version of a named model. */
export interface ModelVersion {
  /** The model's name in the store. */
  readonly name: string;
  /** Increasing per name in save order; 1, 2, 3… in the memory store. */
  readonly version: number;
  /** The learner snapshot saved as this version. */
  readonly snapshot: LearnerSnapshot;
  /** Epoch milliseconds of the save. */
  readonly savedAt: number;
  /** What the caller of `save` attached (e.g. metrics, offsets); `{}` when none. */
  readonly metadata: { readonly [key: string]: JsonValue };
}

/**
 * Versioned storage of learner snapshots. `memoryModelStore` of @tributary/learn is the in-process
 * one; `kafkaModelStore` of @tributary/kafka keeps versions in a compacted topic shared by processes.
 * It lives in core so that stores and learners meet here without depending on each other.
 */
export interface ModelStore {
  /** Saves a snapshot as the next version of `name`. */
  save(
    name: string,
    snapshot: LearnerSnapshot,
    metadata?: { readonly [key: string]: JsonValue },
  ): Promise<ModelVersion>;
  /** A given version of `name`, or the latest when `version` is omitted; undefined if none. */
  load(name: string, version?: number): Promise<ModelVersion | undefined>;
  /** Versions of `name` still held, oldest first. */
  versions(name: string): Promise<number[]>;
  /** Calls `listener` with every version of `name` saved from now on; returns an unsubscribe. */
  subscribe(name: string, listener: (model: ModelVersion) => void): () => void;
}
