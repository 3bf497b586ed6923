import type { StageContext, StageObject } from '@tributary/core';
import type { DriftDetector } from './driftDetector.js';
import type { DriftEvent } from './driftEvent.js';
import type { Metric } from './metric.js';
import type { OnlineModel } from './onlineModel.js';

/** What to do when the detector signals drift. */
export type DriftAction<X, Y, P, Q = unknown> =
  | 'none'
  | 'reset'
  | ((
      model: OnlineModel<X, Y, P, Q>,
      drift: Omit<DriftEvent, 'action'>,
    ) => OnlineModel<X, Y, P, Q> | undefined);

/** Drift monitoring inside the evaluation stage. */
export interface PrequentialDrift<X, Y, P, Q = unknown> {
  readonly detector: DriftDetector;
  /** The value fed to the detector per labelled prediction. Default: 0/1 error, or absolute error for a `'regressor'`. */
  readonly signal?: (label: Y, prediction: P) => number;
  /** `'reset'` swaps in `model.clone()`; a function may return a replacement (e.g. a challenger). Default `'none'`. */
  readonly onDrift?: DriftAction<X, Y, P, Q>;
}

/**
 * Options of {@link prequential}: `V` is the stage's input, `X` the model input, `Y` the label,
 * `P` the prediction and `Q` the probability (`predictProba`'s result; `undefined` without it).
 */
export interface PrequentialOptions<V, X, Y, P, Q = unknown> {
  readonly name?: string;
  readonly model: OnlineModel<X, Y, P, Q>;
  /** The model input of a record, e.g. `(v) => v.x` after a feature-vector stage. */
  readonly features: (value: V) => X;
  /** The label a record carries itself, if any: test, then train at once. */
  readonly label?: (value: V) => Y | undefined;
  /** Id of a prediction whose label will come later, in a separate record. */
  readonly id?: (value: V) => string | undefined;
  /** Recognises a late-label record and returns its prediction id and label; it is not predicted on. */
  readonly lateLabel?: (value: V) => { readonly id: string; readonly label: Y } | undefined;
  /** How long, in event time, a prediction waits for its label. Default 1 hour. */
  readonly ttlMs?: number;
  /**
   * The label of a prediction whose label has not come within `ttlMs`: it is then scored and
   * learnt as if this label had arrived (e.g. `false` when no chargeback within the TTL means
   * legitimate), still counted in `labelsExpired`. Default: none, expired predictions are dropped.
   */
  readonly expiredLabel?: Y;
  /** Most predictions waiting for labels; the oldest is dropped (counted) beyond it. Default 100000. */
  readonly maxPending?: number;
  /** Event time of a record. Default: the record timestamp. */
  readonly eventTime?: (value: V, ctx: StageContext) => number;
  /** Metrics updated with each labelled prediction; probability metrics get `predictProba(x)`. */
  readonly metrics?: readonly Metric<Y, never>[];
  readonly drift?: PrequentialDrift<X, Y, P, Q>;
  /** Also output an `evaluation` record per labelled prediction. Default false. */
  readonly emitEvaluations?: boolean;
}

/** A prediction, output for every record that is not a late label. */
export interface Prediction<V, P, Q = unknown> {
  readonly type: 'prediction';
  readonly id: string | undefined;
  readonly value: V;
  readonly prediction: P;
  /**
   * `predictProba(x)`, typed by the model: `number` for a binary classifier of
   * @tributary/learn, class probabilities for a multiclass one, `undefined` without it.
   */
  readonly probability: Q;
}

/** A labelled prediction (with `emitEvaluations`). */
export interface Evaluation<Y, P> {
  readonly type: 'evaluation';
  readonly id: string | undefined;
  readonly label: Y;
  readonly prediction: P;
  /** Event time from prediction to label (0 when the record carried its label). */
  readonly delayMs: number;
}

/**
 * Outputs of the evaluation stage; route them with `when((o) => o.type === …, sink)` (the
 * comparison is a type guard, so the sink, or a route's map, gets that member only).
 */
export type PrequentialOutput<V, Y, P, Q = unknown> =
  | Prediction<V, P, Q>
  | Evaluation<Y, P>
  | DriftEvent;

/** Counters of an evaluation stage. */
export interface PrequentialStats {
  readonly predictions: number;
  readonly learned: number;
  readonly pending: number;
  readonly labelsExpired: number;
  readonly labelsUnmatched: number;
  readonly pendingDropped: number;
  readonly drifts: number;
}

/** The evaluation stage, with its live metrics and model. */
export interface PrequentialStage<V, X, Y, P, Q = unknown>
  extends StageObject<V, PrequentialOutput<V, Y, P, Q>> {
  readonly name: string;
  /** The model now (it changes on drift with `'reset'` or a swap). */
  readonly model: OnlineModel<X, Y, P, Q>;
  /** Metric name → current value. */
  metrics(): Record<string, number>;
  /** Counters: predictions, learned, labels pending, expired and unmatched, drifts. */
  stats(): PrequentialStats;
  /** Model (if it snapshots), metrics, detector, waiting predictions and counters, as plain data. */
  snapshot(): PrequentialSnapshot;
  /** Adopts a snapshot of this stage; throws MONITOR_SNAPSHOT_INVALID for other data. */
  restore(snapshot: unknown): void;
}

/** Plain-data state of an evaluation stage. */
export interface PrequentialSnapshot {
  readonly model: unknown;
  readonly metrics: readonly unknown[];
  readonly detector: unknown;
  readonly pending: readonly (readonly [string, unknown, boolean, unknown, unknown, number])[];
  readonly counters: Record<keyof PrequentialStats, number>;
}
