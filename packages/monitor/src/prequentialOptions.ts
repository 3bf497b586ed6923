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
  /** The detector fed with `signal` per labelled prediction (e.g. `adwin()`). */
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
  /** Stage name. Default `'prequential'`. */
  readonly name?: string;
  /** The online model that predicts, then learns from each label. */
  readonly model: OnlineModel<X, Y, P, Q>;
  /** The model input of a record, e.g. `(v) => v.x` after a feature-vector stage. */
  readonly features: (value: V) => X;
  /** The label a record carries itself, if any: test, then train at once. */
  readonly label?: (value: V) => Y | undefined;
  /** Id of a prediction whose label will come later, in a separate record. */
  readonly id?: (value: V) => string | undefined;
  /** Recognises a late-label record and returns its prediction id and label; it is not predicted on. */
  readonly lateLabel?: (value: V) =>
    | {
        /** Id of the prediction the label belongs to (as `id` returned). */
        readonly id: string;
        /** The label. */
        readonly label: Y;
      }
    | undefined;
  /** How long, in event time, a prediction waits for its label. Default 1 hour. */
  readonly ttlMs?: number;
  /**
   * The label of a prediction whose label has not come within `ttlMs`: it is then scored and
   * learnt as if this label had arrived (e.g. `false` when no chargeback within the TTL means
   * legitimate), still counted in `labelsExpired`. Default: none, expired predictions are dropped.
   */
  readonly expiredLabel?: Y;
  /**
   * Most predictions waiting for labels; the oldest is dropped (counted) beyond it. Default
   * 100000. With `pending: 'state'` the bound is per partition, the oldest in event time.
   */
  readonly maxPending?: number;
  /**
   * Where predictions wait for their late labels. `'memory'` (default): in the stage, one set
   * for every partition, in its {@link PrequentialSnapshot} — lost on a crash unless
   * snapshotted, and a label read by another worker than its prediction is never joined.
   * `'state'`: in core's keyed state of the prediction record's key on its partition (plain
   * JSON: features, prediction, probability, event time), so waiting predictions move with the
   * partition on a rebalance and come back from `kafkaStateStore`'s changelog on a restart. A
   * late label must then carry the same record key as its prediction and come on the same
   * partition number: of the same topic, or of {@link predictionTopic} on a co-partitioned
   * multi-topic source. Expiry runs per partition, on the event time of its records (labels
   * included); `maxPending` bounds each partition. The stage snapshot then holds no waiting
   * predictions (the keyed state does), and those of a `'memory'` snapshot are not restored.
   */
  readonly pending?: 'memory' | 'state';
  /**
   * With `pending: 'state'`, the topic whose records are predicted on, when late labels come on
   * another topic of the same source (`topic: [predictions, labels]`, co-partitioned). Default:
   * the label record's own topic.
   */
  readonly predictionTopic?: string;
  /** Event time of a record. Default: the record timestamp. */
  readonly eventTime?: (value: V, ctx: StageContext) => number;
  /** Metrics updated with each labelled prediction; probability metrics get `predictProba(x)`. */
  readonly metrics?: readonly Metric<Y, never>[];
  /** Drift detection on the model's errors, and what to do on drift. Default: none. */
  readonly drift?: PrequentialDrift<X, Y, P, Q>;
  /** Also output an `evaluation` record per labelled prediction. Default false. */
  readonly emitEvaluations?: boolean;
}

/** A prediction, output for every record that is not a late label. */
export interface Prediction<V, P, Q = unknown> {
  /** Always `'prediction'`. */
  readonly type: 'prediction';
  /** The id from `options.id`, when the label comes later. */
  readonly id: string | undefined;
  /** The input record's value. */
  readonly value: V;
  /** What the model predicted. */
  readonly prediction: P;
  /**
   * `predictProba(x)`, typed by the model: `number` for a binary classifier of
   * @tributary/learn, class probabilities for a multiclass one, `undefined` without it.
   */
  readonly probability: Q;
}

/** A labelled prediction (with `emitEvaluations`). */
export interface Evaluation<Y, P> {
  /** Always `'evaluation'`. */
  readonly type: 'evaluation';
  /** The prediction's id (undefined when the record carried its label). */
  readonly id: string | undefined;
  /** The label the prediction was scored against. */
  readonly label: Y;
  /** What the model had predicted. */
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
  /** Predictions made. */
  readonly predictions: number;
  /** Labelled predictions the model learnt from. */
  readonly learned: number;
  /** Predictions now waiting for their label (with `pending: 'state'`: on the partitions this stage has processed records of). */
  readonly pending: number;
  /** Predictions whose label did not come within `ttlMs`. */
  readonly labelsExpired: number;
  /** Late labels with no waiting prediction of their id. */
  readonly labelsUnmatched: number;
  /** Waiting predictions dropped beyond `maxPending`. */
  readonly pendingDropped: number;
  /** Drifts the detector signalled. */
  readonly drifts: number;
}

/** The evaluation stage, with its live metrics and model. */
export interface PrequentialStage<V, X, Y, P, Q = unknown>
  extends StageObject<V, PrequentialOutput<V, Y, P, Q>> {
  /** The stage name. */
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
  /** The model's snapshot (null when it does not snapshot). */
  readonly model: unknown;
  /** Each metric's snapshot, in `options.metrics` order. */
  readonly metrics: readonly unknown[];
  /** The drift detector's snapshot (null without `drift`). */
  readonly detector: unknown;
  /** The predictions waiting for labels, as plain tuples (none with `pending: 'state'`: they are in keyed state). */
  readonly pending: readonly (readonly [string, unknown, boolean, unknown, unknown, number])[];
  /** The counters of {@link PrequentialStats}. */
  readonly counters: Record<keyof PrequentialStats, number>;
}
