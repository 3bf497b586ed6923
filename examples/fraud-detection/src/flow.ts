import {
  type Bus,
  type CheckpointMetrics,
  deadLetter,
  errorCode,
  type OutRecord,
  type PipelineBuilder,
  pipeline,
  type RunHandle,
  type RunOptions,
  type RunSummary,
  run,
  type Sink,
  type StageContext,
  sleep,
  when,
} from '@tributary/core';
import { type Learner, type ModelStore, publishModel } from '@tributary/learn';
import type { PrequentialOutput } from '@tributary/monitor';
import { json, pseudonymize } from '@tributary/schema';
import { z } from 'zod';
import { anomalyScore } from './anomalyScore.js';
import { checkInput } from './checkInput.js';
import {
  type CardTransaction,
  cardFeatures,
  cardWindows,
  featureColumns,
  merchantNovelty,
  pcaFeatures,
  scaleFeatures,
  startFeatures,
} from './features.js';
import { type LabelJoinInput, labelJoin } from './labelJoin.js';
import { type ChargebackEvent, onTransactions, type TransactionEvent } from './onTransactions.js';
import { precisionThreshold } from './precisionThreshold.js';
import {
  type FlowOutput,
  isAlert,
  isDrift,
  isPrediction,
  type PredictionRecord,
  predictionRecords,
} from './predictionRecord.js';
import type { Replay, ReplayRecord } from './replayRecord.js';
import type { FraudEvent, FraudTopics } from './schema.js';
import { classifier, MODEL_NAME, serving } from './serving.js';

/** Options of {@link fraudFlow}. */
export interface FraudFlowOptions {
  readonly bus: Bus;
  readonly topics: FraudTopics;
  /** Where model versions go and the serving stage reads them from. */
  readonly store: ModelStore;
  readonly mode: 'cards' | 'pca';
  /** Consumer group. Default `fraud-detection`. */
  readonly group?: string;
  /** HMAC key of card pseudonyms (at least 16 bytes). */
  readonly pseudonymKey: string;
  /** Label TTL in event time. Default 48 h. */
  readonly labelTtlMs?: number;
  /**
   * Where transactions wait for their chargebacks: `'memory'` (default, in the label join's
   * snapshot) or `'state'` (keyed state of the card's partition: durable with a state store
   * such as kafkaStateStore, see `durableOnKafka` in kafkaDurable.ts).
   */
  readonly pending?: 'memory' | 'state';
  readonly classifier?: 'logistic' | 'ftrl';
  /** Alert precision the threshold aims at. Default 0.9. */
  readonly targetPrecision?: number;
  /** Publish a model version every this many records through the learner. Default 5000. */
  readonly publishEvery?: number;
  /** More sinks for alerts (the JSONL file, PostgreSQL). */
  readonly alertSinks?: readonly Sink<PredictionRecord>[];
  /** Wraps each step's stage, e.g. to time it (the benchmark). */
  readonly instrument?: <S>(name: string, stage: S) => S;
  /** Ids of the transactions that are fraud, when known (generated data): outcomes then report true alert precision. */
  readonly truth?: ReadonlySet<string>;
  /**
   * Called for each record the label join took in (`'labels'`: every record that passed
   * validation) and each prediction record made (`'output'`): the replay waits on these.
   */
  readonly onRecord?: (step: 'labels' | 'output') => void;
}

/** The label join, calling `onRecord('labels')` after each record it took in. */
function counted<S extends { process(v: LabelJoinInput, ctx: StageContext): unknown }>(
  stage: S,
  onRecord: FraudFlowOptions['onRecord'],
): S {
  if (onRecord === undefined) return stage;
  const wrapped = Object.create(stage) as S;
  wrapped.process = (v, ctx) => {
    const out = stage.process(v, ctx);
    onRecord('labels');
    return out;
  };
  return wrapped;
}

/** A bytes serializer for the output topics: JSON of the flow's records. */
export const outputSerde = json(z.custom<FlowOutput>());

/**
 * The fraud-detection pipeline: raw input → validate (quarantine) → pseudonymise → per-card
 * windows → scaling → Half-Space Trees → served classifier with the online alert threshold →
 * label join (test-then-train, drift) → model publishing → prediction records with lineage →
 * `predictions`, `alerts`, drift events and the extra alert sinks.
 */
export function fraudFlow(options: FraudFlowOptions) {
  const { bus, topics, store } = options;
  const wrap = options.instrument ?? (<S>(_: string, s: S) => s);
  const columns = featureColumns(options.mode);
  const threshold = precisionThreshold({ target: options.targetPrecision ?? 0.9 });
  const check = checkInput(topics, deadLetter(bus.sink({ topic: topics.quarantine })));
  const anomaly = anomalyScore(columns.length);
  const serve = serving(store, classifier(options.classifier ?? 'logistic'), threshold);
  const labels = labelJoin({
    trainer: classifier(options.classifier ?? 'logistic'),
    ttlMs: options.labelTtlMs ?? 48 * 3_600_000,
    ...(options.pending === 'state'
      ? { pending: 'state' as const, predictionTopic: topics.transactions }
      : {}),
  });
  // The trainer is replaced on drift: publish whichever model the label join holds now.
  const current = { snapshot: () => labels.model.snapshot!() } as unknown as Learner<
    never,
    unknown
  >;
  const publish = publishModel<PrequentialOutput<LabelJoinInput, boolean, boolean>>(current, {
    store,
    model: MODEL_NAME,
    every: options.publishEvery ?? 5000,
    metadata: { trainer: options.classifier ?? 'logistic', columns: [...columns, 'anomaly'] },
  });
  const onRecord = options.onRecord;
  const output = predictionRecords(
    threshold,
    options.truth,
    onRecord === undefined ? undefined : () => onRecord('output'),
  );

  // Raw values: the validate stage decodes and checks them, so a bad record is quarantined
  // with every issue instead of failing in the source's decode step.
  const source = bus.source({
    topic: [topics.transactions, topics.chargebacks],
    group: options.group ?? 'fraud-detection',
  });
  const validated = pipeline(source)
    .pipe(wrap('validate', check))
    .pipe(
      wrap(
        'pseudonymize',
        // Cards pay again and again: a cache of the recent cards' pseudonyms skips most HMACs.
        pseudonymize<FraudEvent, 'cardId'>(['cardId'], options.pseudonymKey, {
          cacheSize: 20_000,
        }),
      ),
    );
  type Mapped = { readonly tx: TransactionEvent; readonly features: Record<string, number> };
  let mapped: PipelineBuilder<Mapped | ChargebackEvent>;
  if (options.mode === 'cards') {
    mapped = validated
      .pipe(wrap('features', onTransactions(startFeatures, 'features')))
      .pipe(wrap('merchantNovelty', onTransactions(merchantNovelty())))
      .pipe(wrap('cardWindows', onTransactions(cardWindows())))
      .pipe(
        wrap(
          'featureMap',
          onTransactions(
            (t: CardTransaction): Mapped => ({ tx: t, features: cardFeatures(t) }),
            'featureMap',
          ),
        ),
      );
  } else {
    mapped = validated.pipe(
      wrap(
        'featureMap',
        onTransactions(
          (t: TransactionEvent): Mapped => ({ tx: t, features: pcaFeatures(t) }),
          'featureMap',
        ),
      ),
    );
  }
  const outputs = mapped
    .pipe(wrap('scale', onTransactions(scaleFeatures(columns))))
    .pipe(wrap('anomaly', onTransactions(anomaly)))
    .pipe(wrap('serve', onTransactions(serve)))
    .pipe(wrap('labels', counted(labels, options.onRecord)))
    .pipe(wrap('publish', publish))
    .pipe(wrap('output', output));
  const pipe = outputs.to(
    when(isPrediction, bus.sink({ topic: topics.predictions, serde: outputSerde })),
    when(isAlert, bus.sink({ topic: topics.alerts, serde: outputSerde })),
    when(isDrift, bus.sink({ topic: topics.drift, serde: outputSerde })),
    ...(options.alertSinks ?? []).map((s) => when(isAlert, s)),
  );
  return { pipeline: pipe, check, anomaly, serve, labels, output, threshold, columns };
}

/** What a finished fraud run reports. */
export interface FraudRunResult {
  readonly summary: RunSummary;
  readonly transactions: number;
  readonly chargebacks: number;
  readonly predictions: number;
  readonly alerts: number;
  readonly alertPrecision: number;
  /** Against the ground truth (generated data): alert precision and the share of frauds alerted. */
  readonly truePrecision?: number;
  readonly trueRecall?: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly labels: ReturnType<ReturnType<typeof labelJoin>['stats']>;
  readonly deadLetters: Readonly<Record<string, number>>;
  readonly modelVersionsPublished: number;
  /** Distinct model versions that scored transactions (more than one: hot swaps happened). */
  readonly versionsServed: readonly number[];
  readonly driftEvents: number;
  readonly threshold: number;
  readonly thresholdUpdates: number;
  readonly durationMs: number;
  /** Checkpoints saved and failed, when the run had the `checkpoint` option (see kafkaDurable.ts). */
  readonly checkpoints?: CheckpointMetrics;
}

/** Options of {@link runFraud}: the flow's, plus how to replay. */
export interface RunFraudOptions extends Omit<FraudFlowOptions, 'store'> {
  readonly replay: Replay;
  readonly store: ModelStore;
  /** Records written per producer batch. Default: 1/200 of the replay, 20 to 1000. */
  readonly chunk?: number;
  /**
   * Most records written and not yet through the flow, i.e. into the label join or quarantined
   * (keeps the replay in event-time order). Default
   * 2 × chunk: a longer lead (8 × chunk was tried) lets partitions drift apart in event time, and
   * the stage-wide label TTL then expired some transactions before their chargebacks came.
   */
  readonly maxAhead?: number;
  /** Input records per second (latency runs); default as fast as the flow goes. */
  readonly rate?: number;
  /** Options of the run; on the memory bus `lingerMs` defaults to 0 (see {@link runFraud}). */
  readonly run?: RunOptions;
  /** Called about every 100 ms with the records done so far. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Called once the flow runs, e.g. to show it on a dashboard; a returned promise is awaited
   * before the replay starts (a latency run waits there until the group has its partitions).
   */
  readonly onStart?: (
    handle: RunHandle,
    flow: ReturnType<typeof fraudFlow>,
  ) => void | Promise<void>;
}

/**
 * Waits on a condition of the run's progress: `check()` (called as records go through)
 * re-tests the waiting conditions once, after the records of the current turn went through.
 */
function progressWaits() {
  let waiting: { test: () => boolean; resolve: () => void }[] = [];
  let queued = false;
  const recheck = () => {
    queued = false;
    const all = waiting;
    waiting = [];
    for (const w of all) {
      if (w.test()) w.resolve();
      else waiting.push(w);
    }
  };
  return {
    check() {
      if (queued || waiting.length === 0) return;
      queued = true;
      queueMicrotask(recheck);
    },
    until(test: () => boolean): Promise<void> {
      if (test()) return Promise.resolve();
      return new Promise((resolve) => waiting.push({ test, resolve }));
    },
    clear() {
      waiting = [];
    },
  };
}

/** Raw input bytes: JSON of the value, or the text as it is (malformed records). */
const inputSerde = {
  serialize: (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8'),
};

/**
 * Runs the fraud flow while replaying `replay` into its input topics, in event-time order: a
 * batch is written only when the flow is at most `maxAhead` records behind, so a chargeback is
 * held back until its transaction was scored (chargebacks are hours after it in event time). The
 * replay waits on the flow's progress (no polling). Once every record went through, it stops the
 * run (which drains the sinks and commits) and returns the counts, metrics and model history.
 */
export async function runFraud(options: RunFraudOptions): Promise<FraudRunResult> {
  const { bus, topics, replay } = options;
  let saves = 0;
  const inner = options.store;
  const store: ModelStore = {
    save: async (...args) => {
      const saved = await inner.save(...args);
      saves++;
      return saved;
    },
    load: (...args) => inner.load(...args),
    versions: (name) => inner.versions(name),
    subscribe: (name, listener) => inner.subscribe(name, listener),
  };
  const truth = (replay as { fraudIds?: ReadonlySet<string> }).fraudIds;
  // Records through the flow so far (into the label join, or quarantined), and the waits of the
  // replay on them: each is checked once after the records of a turn went through.
  let through = 0;
  const waits = progressWaits();
  const flow = fraudFlow({
    ...options,
    store,
    ...(truth === undefined ? {} : { truth }),
    onRecord: (step) => {
      if (step === 'labels') through++;
      waits.check();
      options.onRecord?.(step);
    },
  });
  const deadLetters: Record<string, number> = {};
  let drifts = 0;
  const handle: RunHandle = run(flow.pipeline, {
    // The replay waits for the flow, so a partial sink batch held for the linger only stalls
    // it; on the memory bus a write costs next to nothing, so write at once (Kafka keeps the
    // core default, where fewer larger produce requests pay off).
    ...(bus.kind === 'memory' ? { lingerMs: 0 } : {}),
    ...options.run,
    onEvent: (e) => {
      if (e.type === 'dead-letter') {
        const code = errorCode(e.error) ?? 'UNKNOWN';
        deadLetters[code] = (deadLetters[code] ?? 0) + 1;
        if (e.step === flow.check.name) {
          through++;
          waits.check();
        }
      }
      options.run?.onEvent?.(e);
    },
  });
  // A run that ends (stopped, e.g. by a signal) ends every wait; one that fails, with its error.
  let ended = false;
  const end = handle.done.then(() => {
    ended = true;
  });
  end.catch(() => {});
  const until = (test: () => boolean) => Promise.race([waits.until(test), end]);
  const started = options.onStart?.(handle, flow);
  if (started !== undefined) await Promise.race([started, end]);
  const sinks = {
    transactions: bus.sink({ topic: topics.transactions, serde: inputSerde }),
    chargebacks: bus.sink({ topic: topics.chargebacks, serde: inputSerde }),
  };
  const total = replay.records.length;
  const chunk = options.chunk ?? Math.min(1000, Math.max(20, Math.floor(total / 200)));
  const maxAhead = options.maxAhead ?? 2 * chunk;
  const progress = setInterval(
    () => options.onProgress?.(handle.metrics().recordsDone, total),
    100,
  );
  let written = 0;
  const t0 = performance.now();
  let reported = t0;
  try {
    for (let i = 0; i < total; i += chunk) {
      if (options.rate !== undefined) {
        const due = t0 + (i / options.rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      } else {
        await until(() => written - through <= maxAhead);
      }
      if (ended) break;
      const batch = replay.records.slice(i, i + chunk);
      // A chargeback is written only once its transaction was scored, whatever the partitions'
      // relative progress, or once every record written went through the flow: a transaction
      // that was quarantined (or never written) will not be scored, and its chargeback then
      // counts as unmatched without waiting (10 s more: a safety net).
      const labelled = batch
        .filter((r) => r.stream === 'chargebacks')
        .map((r) => (r.value as { transactionId?: string }).transactionId ?? '');
      if (labelled.length > 0) {
        const timeout = new AbortController();
        await Promise.race([
          until(() => through >= written || labelled.every((id) => flow.output.predicted(id))),
          sleep(10_000, timeout.signal).catch(() => {}),
        ]);
        timeout.abort();
      }
      const out = (r: ReplayRecord): OutRecord<unknown> => ({
        key: r.key,
        value: r.value,
        headers: {},
        timestamp: r.time,
      });
      await Promise.all([
        sinks.transactions.write(batch.filter((r) => r.stream === 'transactions').map(out)),
        sinks.chargebacks.write(batch.filter((r) => r.stream === 'chargebacks').map(out)),
      ]);
      written += batch.length;
      // On the memory bus no timer runs while the flow works through what was written (its
      // deliveries never leave the microtask queue), so progress is reported from here too.
      if (performance.now() - reported >= 100) {
        reported = performance.now();
        options.onProgress?.(handle.metrics().recordsDone, total);
      }
    }
    // Every record went in; stop() then drains them (written by the sinks) and commits.
    await until(() => through >= total);
  } finally {
    clearInterval(progress);
    waits.clear();
  }
  const summary = await handle.stop();
  const checkpoints = handle.metrics().checkpoints;
  options.onProgress?.(summary.recordsDone, total);
  const stats = flow.labels.stats();
  drifts = stats.drifts;
  const outcomes = flow.output.outcomes();
  return {
    summary,
    transactions: replay.transactions,
    chargebacks: replay.chargebacks,
    predictions: stats.predictions,
    alerts: outcomes.alerts,
    alertPrecision: outcomes.labelled === 0 ? Number.NaN : outcomes.fraud / outcomes.labelled,
    ...(outcomes.truth === undefined
      ? {}
      : {
          truePrecision:
            outcomes.alerts === 0 ? Number.NaN : outcomes.truth.trueAlerts / outcomes.alerts,
          trueRecall:
            outcomes.truth.frauds === 0
              ? Number.NaN
              : outcomes.truth.trueAlerts / outcomes.truth.frauds,
        }),
    metrics: flow.labels.metrics(),
    labels: stats,
    ...(checkpoints === undefined ? {} : { checkpoints }),
    deadLetters,
    modelVersionsPublished: saves,
    versionsServed: outcomes.versionsServed,
    driftEvents: drifts,
    threshold: flow.threshold.current(),
    thresholdUpdates: flow.threshold.updates,
    durationMs: summary.durationMs,
  };
}
