import type { JsonValue, LearnerSnapshot } from './learner.js';

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
 * Versioned storage of learner snapshots. {@link memoryModelStore} is the in-process one;
 * `kafkaModelStore` of @tributary/kafka keeps versions in a compacted topic shared by processes.
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
