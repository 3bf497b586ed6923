import type { StageContext, StageObject } from '@tributary/core';
import type { RowStep } from './rowTransform.js';
import type { TransformSnapshot } from './transformSnapshot.js';

/** Options every transform takes. */
export interface TransformOptions {
  /** Step name in metrics, logs and dead-letter headers. Default: the transform's kind. */
  readonly name?: string;
  /**
   * As a stage, whether each value also updates the statistics (default `true`: learn, then
   * transform, like River's `learn_during_predict`). `false` freezes them, e.g. after `restore`.
   */
  readonly learn?: boolean;
}

/**
 * A stateful online transform. Use it directly (`learn`, `transform`), pipe it as a stage (its
 * statistics are stage-wide, not per key, and travel in the stage's `snapshot`), or give it to
 * `vectorize`/`compose`, which run its row form (`bindRow`) on reused `Float64Array` rows.
 */
export interface Transform<I, O> extends StageObject<I, O>, RowStep {
  readonly name: string;
  /** What transform this is, e.g. `'standardScaler'`; recorded in snapshots. */
  readonly kind: string;
  /** Updates the statistics with `x`. */
  learn(x: I): void;
  /** Applies the current statistics to `x` without changing them. */
  transform(x: I): O;
  /** `learn(x)` then `transform(x)`. */
  learnTransform(x: I): O;
  /** Forgets everything learned. */
  reset(): void;
  snapshot(): TransformSnapshot;
  /** Replaces the statistics; throws FEATURE_SNAPSHOT_INVALID for data of another kind or shape. */
  restore(snapshot: unknown): void;
  /** As a stage: learns the value (unless `learn: false`), then transforms it. */
  readonly process: (value: I, ctx: StageContext) => O;
}
