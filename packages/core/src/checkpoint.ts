import type { ModelStore } from './modelStore.js';

/**
 * Durable stage-wide state: with `run(…, { checkpoint })` the stages' `snapshot()`s are saved
 * to a {@link ModelStore} as part of offset commits and loaded back when a run starts. See
 * "Durable state" in docs/scaling-out.md for the exact guarantee.
 */
export interface CheckpointOptions {
  /**
   * Where checkpoints go: any {@link ModelStore}, e.g. `memoryModelStore()` of
   * @tributary/learn or `kafkaModelStore(bus, { topic })` of @tributary/kafka (a compacted
   * topic). Old versions are dropped by the store's own `keep` option.
   */
  readonly store: ModelStore;
  /**
   * The checkpoint's name in the store. A restarted worker must use the name it saved under;
   * workers of one group that each hold their own model need one name each.
   */
  readonly name: string;
  /**
   * Least time between two checkpoints, in ms. Default 0: every commit saves one first, so
   * the restored state always covers the committed offsets. With more, commits in between
   * go ahead without one and a crash can lose the learning of up to `everyMs` of records
   * (see the guarantee in docs/scaling-out.md). Revokes and `stop()` always save one.
   */
  readonly everyMs?: number;
  /**
   * What a run does when the store cannot give back the newest checkpoint (the load throws
   * or returns something that is not a checkpoint): `'fail'` (default) fails the run with
   * CHECKPOINT_LOAD_FAILED; `'fresh'` logs a warning and starts from fresh stages. A name
   * with no checkpoint yet always starts fresh.
   */
  readonly onLoadError?: 'fail' | 'fresh';
}

/** How a run's checkpoints went, in {@link MetricsSnapshot.checkpoints}. */
export interface CheckpointMetrics {
  /** The checkpoint's name in the store. */
  readonly name: string;
  /** Checkpoints saved by this run. */
  readonly saved: number;
  /** Saves that failed (each held its commit back; the next commit tries again). */
  readonly failed: number;
  /** Store version of the last checkpoint saved or restored; undefined before the first. */
  readonly version: number | undefined;
  /** Epoch milliseconds of the last checkpoint saved or restored; undefined before the first. */
  readonly savedAt: number | undefined;
}
