// The snapshot types live in core, beside the ModelStore contract that stores them.
import type { LearnerSnapshot } from '@tributary/core';

export type { JsonValue, LearnerSnapshot } from '@tributary/core';

/** Which family a learner belongs to; tells callers how to read `predict`. */
export type LearnerKind = 'binary' | 'multiclass' | 'regressor' | 'anomaly' | 'clusterer';

/**
 * The one contract every online learner implements.
 *
 * Inputs are `Float64Array` feature vectors with a fixed column order (the features package's
 * assembler builds them, with the column names). Named `Record<string, number>` inputs are not
 * accepted: resolving names per record costs a hash lookup per feature and keeps hot paths
 * polymorphic; map names to columns once, upstream. A learner fixes its dimension from its
 * `features` option or from the first vector it sees, then rejects other lengths.
 */
export interface Learner<Y, P, Q = unknown> {
  /** The family, e.g. to pick metrics. */
  readonly kind: LearnerKind;
  /** The snapshot `type` this learner writes and restores. */
  readonly type: string;
  /**
   * Predicts for one feature vector; never changes the model (nor fixes its input length: the
   * first vector learned does).
   */
  predict(x: Float64Array): P;
  /**
   * Probabilities behind `predict` (classifiers: `Q` is `number` for binary ones, class
   * probabilities for multiclass ones); absent on learners without them (typed `never`).
   */
  predictProba?(x: Float64Array): Q;
  /** Updates the model with one example; `weight` (default 1) scales its influence. */
  learn(x: Float64Array, y: Y, weight?: number): void;
  /** The model as plain JSON (options and state); independent of later updates. */
  snapshot(): LearnerSnapshot;
  /** Replaces options and state with a snapshot of the same `type`. */
  restore(snapshot: LearnerSnapshot): void;
  /** A fresh, untrained learner with the same options (copy a trained one with `restore(snapshot())`). */
  clone(): Learner<Y, P, Q>;
}

/**
 * A two-class classifier; `true` is the positive class. Untrained, it predicts `false` with
 * probability 0.5.
 */
export interface BinaryClassifier extends Learner<boolean, boolean, number> {
  readonly kind: 'binary';
  /** Probability (or, for margin learners, a sigmoid score) that the label is `true`. */
  predictProba(x: Float64Array): number;
  clone(): BinaryClassifier;
}

/**
 * A classifier over integer class ids `0..classes-1`, learnt as they appear. Map string labels
 * to ids upstream. `predict` returns -1 before any class has been seen.
 */
export interface MulticlassClassifier extends Learner<number, number, Float64Array> {
  readonly kind: 'multiclass';
  /** Number of classes seen so far (the largest id + 1). */
  readonly classes: number;
  /**
   * Class probabilities, length `classes`. Pass `out` (length >= `classes`) to fill a buffer
   * you own instead of allocating a new array.
   */
  predictProba(x: Float64Array, out?: Float64Array): Float64Array;
  clone(): MulticlassClassifier;
}

/** A learner of a real-valued target. */
export interface Regressor extends Learner<number, number, never> {
  readonly kind: 'regressor';
  readonly predictProba?: never;
  clone(): Regressor;
}

/** An unsupervised scorer: `predict` is an anomaly score in [0, 1], higher is more anomalous. */
export interface AnomalyDetector extends Learner<void, number, never> {
  readonly kind: 'anomaly';
  readonly predictProba?: never;
  clone(): AnomalyDetector;
}

/** An unsupervised clusterer: `predict` is the index of the nearest cluster. */
export interface Clusterer extends Learner<void, number, never> {
  readonly kind: 'clusterer';
  readonly predictProba?: never;
  /** The cluster centres, one row each (a copy). */
  centers(): Float64Array[];
  clone(): Clusterer;
}

/** Any learner of this package. */
export type AnyLearner =
  | BinaryClassifier
  | MulticlassClassifier
  | Regressor
  | AnomalyDetector
  | Clusterer;
