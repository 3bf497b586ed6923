import { invalidOption, type Many, many, type StageContext, TributaryError } from '@tributary/core';
import { Evaluator } from './internal/evaluator.js';
import { LabelJoin, type Pending } from './internal/labelJoin.js';
import { ModelLifecycle } from './internal/modelLifecycle.js';
import { StateLabelJoin } from './internal/stateLabelJoin.js';
import type {
  PrequentialOptions,
  PrequentialOutput,
  PrequentialSnapshot,
  PrequentialStage,
  PrequentialStats,
} from './prequentialOptions.js';

// The option and output types, where the stage's users have always imported them from.
export type * from './prequentialOptions.js';

/**
 * Test-then-train (prequential) evaluation: each record is predicted on first, and the model
 * learns once its label is known — from the record itself, or from a later label record joined
 * by id within `ttlMs` of event time. Metrics and the drift detector see every labelled
 * prediction; a drift is output as a {@link DriftEvent} and can reset or swap the model.
 * Waiting predictions are stage-wide (with the model), kept in arrival order, in the snapshot;
 * with `pending: 'state'` they are in core's keyed state of their record's key and partition
 * instead, so they move with the partition and come back from a changelog store's changelog.
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

/** The stage: options checked, then label joining, evaluation and the model's lifecycle wired. */
function evaluationStage<V, X, Y, P, Q>(
  options: PrequentialOptions<V, X, Y, P, Q>,
): PrequentialStage<V, X, Y, P, Q> {
  const name = options.name ?? 'prequential';
  const model = options.model;
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
  const where = options.pending ?? 'memory';
  if (where !== 'memory' && where !== 'state') {
    throw invalidOption('pending', "'memory' or 'state'", where);
  }
  const predictionTopic = options.predictionTopic;
  if (
    predictionTopic !== undefined &&
    (where !== 'state' || typeof predictionTopic !== 'string' || predictionTopic.length === 0)
  ) {
    throw invalidOption('predictionTopic', "a topic name, with pending: 'state'", predictionTopic);
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
  const eventTime = options.eventTime ?? ((_v: V, ctx: StageContext) => ctx.timestamp);
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
  const lifecycle = new ModelLifecycle(model, onDrift);
  const memory = where === 'memory' ? new LabelJoin<X, P, Q>(ttl, maxPending) : undefined;
  const join = memory ?? new StateLabelJoin<X, P, Q>(ttl, maxPending, predictionTopic, name);
  const evaluator = new Evaluator<X, Y, P, Q>({
    name,
    lifecycle,
    metrics,
    drift,
    emitEvaluations: options.emitEvaluations === true,
    count: (ctx, what) => count(ctx, what, what),
  });

  const process = (value: V, ctx: StageContext): Out | Many<Out> | undefined => {
    const now = eventTime(value, ctx);
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new TributaryError('MONITOR_BAD_VALUE', `${name}: event time must be a finite number`, {
        details: { eventTime: String(now) },
      });
    }
    const out: Out[] = [];
    const labelled = options.lateLabel?.(value);
    join.expire(ctx, labelled !== undefined, now, (id, p) => {
      count(ctx, 'labelsExpired', 'labels_expired');
      if (options.expiredLabel !== undefined) {
        evaluator.evaluate(ctx, id, p, options.expiredLabel, now - p.t, out);
      }
    });
    if (labelled !== undefined) {
      const entry = join.take(ctx, labelled.id);
      // Unmatched: counted, and the evaluations this record's time expired still go out.
      if (entry === undefined) count(ctx, 'labelsUnmatched', 'labels_unmatched');
      else evaluator.evaluate(ctx, labelled.id, entry, labelled.label, now - entry.t, out);
    } else {
      const current = lifecycle.model;
      const x = options.features(value);
      const prediction = current.predict(x);
      // Q is `undefined` when the model type has no predictProba, else what it returns.
      const probability = (
        typeof current.predictProba === 'function' ? current.predictProba(x) : undefined
      ) as Q;
      const id = options.id?.(value);
      count(ctx, 'predictions', 'predictions');
      out.push({ type: 'prediction', id, value, prediction, probability });
      const entry: Pending<X, P, Q> = { x, prediction, probability, t: now };
      const y = options.label?.(value);
      if (y !== undefined) evaluator.evaluate(ctx, id, entry, y, 0, out);
      else if (id !== undefined && join.wait(ctx, id, entry)) {
        count(ctx, 'pendingDropped', 'pending_dropped');
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
      return lifecycle.model;
    },
    process,
    metrics: () => Object.fromEntries(metrics.map((m) => [m.name, m.get()])),
    stats: () => ({ ...counters, pending: join.size }),
    snapshot: () => ({
      model: lifecycle.snapshot(),
      metrics: metrics.map((m) => m.snapshot()),
      detector: drift?.detector.snapshot() ?? null,
      pending: memory?.snapshot() ?? [],
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
      lifecycle.restore(s.model, name);
      for (const [i, m] of metrics.entries()) m.restore(s.metrics[i]);
      if (drift !== undefined && s.detector !== null) drift.detector.restore(s.detector);
      memory?.restore(s.pending);
      Object.assign(counters, s.counters);
    },
  };
  return stage;
}
