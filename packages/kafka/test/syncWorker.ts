/**
 * A modelSync worker for the broker tests of scale-out learning: test-then-train on `input`
 * in `group` (a logistic regression or a Gaussian naive Bayes), synced through `updates`.
 * For each record it appends `r <i> <partition> <offset> <learnt 0|1> <correct 0|1>` to
 * `log` synchronously (so the lines survive a kill -9); for a tick record (`{ tick }`, not
 * learnt) `t <tick> <json>`, the model's class counts and the stage's merged sequence numbers.
 * It prints `assigned [partitions]` and `revoked [partitions]` as the group moves them.
 * Config comes as JSON in TRIBUTARY_WORKER; SIGTERM stops it gracefully.
 */
import { appendFileSync } from 'node:fs';
import { pipeline, run, type StageContext, type StageObject, silentLogger } from '@tributary/core';
import { gaussianNaiveBayes, logisticRegression, modelSync } from '@tributary/learn';
import type { Elec2Record } from './elec2.js';
import { serveWorker, type WorkerBase, workerBus, workerConfig } from './workerProcess.js';

interface SyncWorkerConfig extends WorkerBase {
  group: string;
  input: string;
  output: string;
  updates: string;
  model: 'logistic' | 'bayes';
  every: number;
  stepScale: number;
  log: string;
  /** Least time between commits; default 200 ms. */
  commitIntervalMs?: number;
}

type In = Elec2Record | { tick: number };
const isTick = (v: In): v is { tick: number } => 'tick' in v;

const cfg = workerConfig<SyncWorkerConfig>();
const bus = workerBus(cfg);
const bayes = cfg.model === 'bayes' ? gaussianNaiveBayes() : undefined;
const logistic = cfg.model === 'logistic' ? logisticRegression() : undefined;
const features = (r: In) => Float64Array.from(isTick(r) ? [] : r.x);
const correct = (r: Elec2Record) =>
  bayes ? bayes.predict(features(r)) === r.y : logistic?.predict(features(r)) === (r.y === 1);

const common = { bus, topic: cfg.updates, worker: cfg.name, every: cfg.every, features };
const sync: StageObject<In, In> = bayes
  ? modelSync(bayes, { ...common, label: (r: In) => (isTick(r) ? undefined : r.y) })
  : modelSync(logistic!, {
      ...common,
      stepScale: cfg.stepScale,
      label: (r: In) => (isTick(r) ? undefined : r.y === 1),
    });

interface Scored {
  readonly r: In;
  /** The prediction made before learning (test-then-train) was right. */
  readonly ok: boolean;
  /** modelSync learnt the record (its `learned` count), rather than skipping it. */
  learnt?: boolean;
}

/** modelSync on a scored record, telling whether it learnt it (records of partitions interleave). */
const watched: StageObject<Scored, Scored> = {
  name: sync.name ?? 'modelSync',
  open: (ctx) => sync.open?.(ctx),
  flush: () => sync.flush?.(),
  close: () => sync.close?.(),
  async process(value, ctx) {
    const spy = new Proxy(ctx, {
      get(target, p) {
        if (p === 'count') {
          return (metric: string, by?: number) => {
            if (metric === 'learned') value.learnt = true;
            target.count(metric, by);
          };
        }
        const v = Reflect.get(target, p, target) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as StageContext;
    await sync.process(value.r, spy);
    return value;
  },
};

const p = pipeline(bus.source({ topic: cfg.input, group: cfg.group }))
  .pipe((value) => JSON.parse(Buffer.from(value as Uint8Array).toString('utf8')) as In)
  .pipe((r: In): Scored => ({ r, ok: !isTick(r) && correct(r) }))
  .pipe(watched)
  .pipe(({ r, ok, learnt }: Scored, ctx) => {
    if (isTick(r)) {
      const state = bayes?.snapshot().state as { counts?: number[] } | undefined;
      const merged = (sync.snapshot?.() as { merged?: Record<string, number> } | undefined)?.merged;
      appendFileSync(cfg.log, `t ${r.tick} ${JSON.stringify({ counts: state?.counts, merged })}\n`);
    } else {
      const line = `r ${r.i} ${ctx.partition} ${ctx.offset} ${learnt ? 1 : 0} ${ok ? 1 : 0}\n`;
      appendFileSync(cfg.log, line);
    }
    return JSON.stringify({ worker: cfg.name, ...(isTick(r) ? r : { i: r.i }) });
  })
  .to(bus.sink({ topic: cfg.output }));

const handle = run(p, {
  name: cfg.name,
  logger: silentLogger,
  commitIntervalMs: cfg.commitIntervalMs ?? 200,
  onEvent: (e) => {
    if (e.type === 'error') console.error('worker error', e.error);
    if (e.type === 'assigned' || e.type === 'revoked') {
      console.log(`${e.type} ${JSON.stringify(e.partitions.map((p) => p.partition))}`);
    }
  },
});
serveWorker(handle, bus);
