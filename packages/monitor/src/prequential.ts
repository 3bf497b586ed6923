import {
  invalidOption,
  type Many,
  many,
  type StageContext,
  type StageObject,
  TributaryError,
} from '@tributary/core';
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
  stats(): PrequentialStats;
  /** Model (if it snapshots), metrics, detector, waiting predictions and counters, as plain data. */
  snapshot(): PrequentialSnapshot;
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

interface Pending<X, P, Q> {
  x: X;
  prediction: P;
  probability: Q;
  t: number;
}

/**
 * Test-then-train (prequential) evaluation: each record is predicted on first, and the model
 * learns once its label is known — from the record itself, or from a later label record joined
 * by id within `ttlMs` of event time. Metrics and the drift detector see every labelled
 * prediction; a drift is output as a {@link DriftEvent} and can reset or swap the model.
 * Waiting predictions are stage-wide (with the model), kept in arrival order, in the snapshot.
 *
 * Inside `.pipe(prequential({ … }))` the input type comes from the pipeline. A stage defined on
 * its own (to keep a handle on its metrics) names its input once with `prequential<Input>()`,
 * which returns this function with `V` fixed, so no accessor needs a parameter annotation.
 */
export function prequential<V>(): <X, Y, P, Q = undefined>(
  options: PrequentialOptions<V, X, Y, P, Q>,
) => PrequentialStage<V, X, Y, P, Q>;
export function prequential<V, X, Y, P, Q = undefined>(
  options: PrequentialOptions<V, X, Y, P, Q>,
): PrequentialStage<V, X, Y, P, Q>;
/** With four explicit type arguments (the form before `prequential<Input>()`), `Q` is `unknown`. */
export function prequential<V, X, Y, P>(
  options: PrequentialOptions<V, X, Y, P, unknown>,
): PrequentialStage<V, X, Y, P, unknown>;
export function prequential<V, X, Y, P, Q>(
  ...args: [] | [PrequentialOptions<V, X, Y, P, Q>]
):
  | PrequentialStage<V, X, Y, P, Q>
  | ((options: PrequentialOptions<V, X, Y, P, Q>) => PrequentialStage<V, X, Y, P, Q>) {
  return args.length === 0 ? evaluationStage : evaluationStage(args[0]);
}

function evaluationStage<V, X, Y, P, Q>(
  options: PrequentialOptions<V, X, Y, P, Q>,
): PrequentialStage<V, X, Y, P, Q> {
  const name = options.name ?? 'prequential';
  let model = options.model;
  if (typeof model?.predict !== 'function' || typeof model.learn !== 'function') {
    throw invalidOption('model', 'an object with predict(x) and learn(x, y)', model);
  }
  for (const f of ['features', 'label', 'id', 'lateLabel', 'eventTime'] as const) {
    const fn = options[f];
    if (fn !== undefined && typeof fn !== 'function') throw invalidOption(f, 'a function', fn);
  }
  if (typeof options.features !== 'function') {
    throw invalidOption('features', 'a function', options.features);
  }
  const ttl = options.ttlMs ?? 3_600_000;
  if (!(ttl > 0)) throw invalidOption('ttlMs', 'a number > 0', ttl);
  const maxPending = options.maxPending ?? 100_000;
  if (!Number.isInteger(maxPending) || maxPending < 1) {
    throw invalidOption('maxPending', 'an integer >= 1', maxPending);
  }
  const metrics = options.metrics ?? [];
  const wantsProba = metrics.some((m) => m.uses === 'probability');
  if (wantsProba && typeof model.predictProba !== 'function') {
    throw invalidOption(
      'metrics',
      'prediction metrics only, or a model with predictProba',
      metrics.map((m) => m.name),
    );
  }
  const drift = options.drift;
  const onDrift = drift?.onDrift ?? 'none';
  if (onDrift === 'reset' && typeof model.clone !== 'function') {
    throw invalidOption(
      'drift.onDrift',
      "a function, or 'reset' with a model that has clone()",
      onDrift,
    );
  }
  const signal =
    drift?.signal ??
    ((y: Y, p: P): number =>
      model.kind === 'regressor' ? Math.abs(Number(y) - Number(p)) : (y as unknown) === p ? 0 : 1);
  const eventTime = options.eventTime ?? ((_v: V, ctx: StageContext) => ctx.timestamp);
  const pending = new Map<string, Pending<X, P, Q>>();
  const counters: Record<keyof PrequentialStats, number> = {
    predictions: 0,
    learned: 0,
    pending: 0,
    labelsExpired: 0,
    labelsUnmatched: 0,
    pendingDropped: 0,
    drifts: 0,
  };
  type Out = PrequentialOutput<V, Y, P, Q>;

  const count = (
    ctx: StageContext,
    key: Exclude<keyof PrequentialStats, 'pending'>,
    metric: string,
  ) => {
    counters[key] += 1;
    ctx.count(metric);
  };

  // Scores one labelled prediction, trains, and feeds the detector; returns outputs to add.
  const evaluate = (
    ctx: StageContext,
    id: string | undefined,
    entry: Pending<X, P, Q>,
    y: Y,
    delayMs: number,
    out: Out[],
  ): void => {
    // Learn first: a label the model rejects then leaves the metrics untouched.
    model.learn(entry.x, y);
    for (const m of metrics) {
      if (m.uses === 'probability') (m as Metric<Y, number>).update(y, entry.probability as number);
      else (m as Metric<Y, P>).update(y, entry.prediction);
    }
    count(ctx, 'learned', 'learned');
    if (options.emitEvaluations) {
      out.push({ type: 'evaluation', id, label: y, prediction: entry.prediction, delayMs });
    }
    if (drift === undefined) return;
    const value = signal(y, entry.prediction);
    drift.detector.update(value);
    if (!drift.detector.driftDetected) return;
    count(ctx, 'drifts', 'drifts');
    const info: Omit<DriftEvent, 'action'> = {
      type: 'drift',
      monitor: name,
      detector: drift.detector.name,
      topic: ctx.topic,
      partition: ctx.partition,
      offset: ctx.offset,
      timestamp: ctx.timestamp,
      value,
      n: drift.detector.n,
    };
    let action: DriftEvent['action'] = 'none';
    if (onDrift === 'reset') {
      model = model.clone!();
      action = 'reset';
    } else if (typeof onDrift === 'function') {
      const next = onDrift(model, info);
      if (next !== undefined) {
        model = next;
        action = 'swap';
      }
    }
    ctx.log.info('drift detected', {
      monitor: name,
      detector: info.detector,
      offset: ctx.offset,
      action,
    });
    out.push({ ...info, action });
  };

  const expire = (ctx: StageContext, now: number, out: Out[]): void => {
    for (const [id, p] of pending) {
      if (p.t >= now - ttl) break;
      pending.delete(id);
      count(ctx, 'labelsExpired', 'labels_expired');
      if (options.expiredLabel !== undefined) {
        evaluate(ctx, id, p, options.expiredLabel, now - p.t, out);
      }
    }
  };

  const process = (value: V, ctx: StageContext): Out | Many<Out> | undefined => {
    const now = eventTime(value, ctx);
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new TributaryError('MONITOR_BAD_VALUE', `${name}: event time must be a finite number`, {
        details: { eventTime: String(now) },
      });
    }
    const out: Out[] = [];
    expire(ctx, now, out);
    const labelled = options.lateLabel?.(value);
    if (labelled !== undefined) {
      const entry = pending.get(labelled.id);
      if (entry === undefined) {
        count(ctx, 'labelsUnmatched', 'labels_unmatched');
        return undefined;
      }
      pending.delete(labelled.id);
      evaluate(ctx, labelled.id, entry, labelled.label, now - entry.t, out);
    } else {
      const x = options.features(value);
      const prediction = model.predict(x);
      // Q is `undefined` when the model type has no predictProba, else what it returns.
      const probability = (
        typeof model.predictProba === 'function' ? model.predictProba(x) : undefined
      ) as Q;
      const id = options.id?.(value);
      count(ctx, 'predictions', 'predictions');
      out.push({ type: 'prediction', id, value, prediction, probability });
      const entry: Pending<X, P, Q> = { x, prediction, probability, t: now };
      const y = options.label?.(value);
      if (y !== undefined) evaluate(ctx, id, entry, y, 0, out);
      else if (id !== undefined) {
        pending.delete(id); // a repeated id waits again, from now
        pending.set(id, entry);
        if (pending.size > maxPending) {
          pending.delete(pending.keys().next().value as string);
          count(ctx, 'pendingDropped', 'pending_dropped');
        }
      }
    }
    if (out.length === 0) return undefined;
    return out.length === 1 ? out[0] : many(out);
  };

  const stage: PrequentialStage<V, X, Y, P, Q> = {
    name,
    // A retry after a partial update would learn twice; failures here are not transient.
    retry: { retries: 0 },
    get model() {
      return model;
    },
    process,
    metrics: () => Object.fromEntries(metrics.map((m) => [m.name, m.get()])),
    stats: () => ({ ...counters, pending: pending.size }),
    snapshot: () => ({
      model: model.snapshot?.() ?? null,
      metrics: metrics.map((m) => m.snapshot()),
      detector: drift?.detector.snapshot() ?? null,
      pending: [...pending].map(([id, p]) => {
        const typed = p.x instanceof Float64Array;
        return [
          id,
          typed ? Array.from(p.x as Float64Array) : structuredClone(p.x),
          typed,
          p.prediction,
          p.probability,
          p.t,
        ] as const;
      }),
      counters: { ...counters },
    }),
    restore(snapshot) {
      const s = snapshot as Partial<PrequentialSnapshot> | null;
      if (
        typeof s !== 'object' ||
        s === null ||
        !Array.isArray(s.metrics) ||
        s.metrics.length !== metrics.length ||
        !Array.isArray(s.pending) ||
        typeof s.counters !== 'object'
      ) {
        throw new TributaryError(
          'MONITOR_SNAPSHOT_INVALID',
          `${name}.restore(): not a snapshot of this stage`,
          {
            details: { stage: name },
          },
        );
      }
      if (s.model !== null && s.model !== undefined) {
        if (typeof model.restore !== 'function') {
          throw new TributaryError(
            'MONITOR_SNAPSHOT_INVALID',
            `${name}.restore(): the model cannot restore`,
            {
              details: { stage: name },
            },
          );
        }
        model.restore(s.model);
      }
      for (const [i, m] of metrics.entries()) m.restore(s.metrics[i]);
      if (drift !== undefined && s.detector !== null) drift.detector.restore(s.detector);
      pending.clear();
      for (const [id, x, typed, prediction, probability, t] of s.pending) {
        pending.set(id, {
          x: (typed ? Float64Array.from(x as number[]) : x) as X,
          prediction: prediction as P,
          probability: probability as Q,
          t,
        });
      }
      Object.assign(counters, s.counters);
    },
  };
  return stage;
}
