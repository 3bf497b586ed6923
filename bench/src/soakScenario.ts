import { appendFileSync, writeFileSync } from 'node:fs';
import {
  type Bus,
  memoryBus,
  type OutRecord,
  type RunHandle,
  run,
  silentLogger,
  sleep,
} from '@tributary/core';
import type { KafkaBus } from '@tributary/kafka';
import { type ModelStore, memoryModelStore } from '@tributary/learn';
import { fraudFlow } from '../../examples/fraud-detection/src/flow.js';
import { generateTransactions } from '../../examples/fraud-detection/src/generator.js';
import type { ReplayRecord } from '../../examples/fraud-detection/src/replayRecord.js';
import { fraudTopics } from '../../examples/fraud-detection/src/schema.js';
import { fraudRun } from './fraudScenario.js';

/** One sample of the process's memory. */
export interface SoakSample {
  /** Seconds since the soak started. */
  readonly t: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly heapTotalMb: number;
  readonly externalMb: number;
  /** Input records done by the flow so far. */
  readonly done: number;
  /** Consumer lag summed over partitions (Kafka), else 0. */
  readonly lag: number;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * Samples RSS and heap every `everyMs` into `samples` and, one JSON line each, into `file`
 * (written as it goes, so a soak cut short still has its figures). A timer takes them, and so
 * does `tick()` once `everyMs` passed since the last: call it from work that runs anyway, as no
 * timer fires while the memory bus works through a backlog.
 */
export function sampler(
  file: string,
  everyMs: number,
  progress: () => { done: number; lag: number },
) {
  const samples: SoakSample[] = [];
  const t0 = performance.now();
  writeFileSync(file, '');
  let last = 0;
  const take = () => {
    last = performance.now();
    const m = process.memoryUsage();
    const p = progress();
    const s: SoakSample = {
      t: Math.round((performance.now() - t0) / 1000),
      rssMb: mb(m.rss),
      heapUsedMb: mb(m.heapUsed),
      heapTotalMb: mb(m.heapTotal),
      externalMb: mb(m.external),
      done: p.done,
      lag: p.lag,
    };
    samples.push(s);
    appendFileSync(file, `${JSON.stringify(s)}\n`);
    return s;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    tick: () => {
      if (performance.now() - last >= everyMs) take();
    },
    stop: () => {
      clearInterval(timer);
      take();
    },
  };
}

/** RSS growth after warm-up: the last sample against the first one past `warmupS`, in %. */
export function growth(samples: readonly SoakSample[], warmupS: number) {
  const after = samples.filter((s) => s.t >= warmupS);
  const first = after[0];
  const last = after[after.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const max = Math.max(...after.map((s) => s.rssMb));
  const maxHeap = Math.max(...after.map((s) => s.heapUsedMb));
  return {
    fromMb: first.rssMb,
    toMb: last.rssMb,
    maxMb: max,
    rssGrowthPct: ((last.rssMb - first.rssMb) / first.rssMb) * 100,
    maxGrowthPct: ((max - first.rssMb) / first.rssMb) * 100,
    heapFromMb: first.heapUsedMb,
    heapToMb: last.heapUsedMb,
    heapMaxMb: maxHeap,
  };
}

const DAY = 86_400_000;
/** The generator's default density: 100,000 transactions over 7 days of event time. */
const daysFor = (transactions: number) => (transactions / 100_000) * 7;

/** Chunk `k` of a long replay: `n` transactions, event time going on from chunk k - 1 (of `size`). */
function chunk(k: number, n: number, size: number) {
  return generateTransactions({
    transactions: n,
    cards: 4000,
    seed: k + 1,
    start: Date.UTC(2025, 0, 6) + k * daysFor(size) * DAY,
    days: daysFor(n),
  });
}

/**
 * The memory-bus soak: the fraud flow over `total` transactions in rounds of `round`, each on a
 * fresh memory bus (the memory bus keeps every record it is given, so one bus for the whole
 * soak would measure its log, not the flow), with one model store and one process throughout.
 */
export async function memorySoak(
  total: number,
  round: number,
  onRound: (done: number, ms: number) => void,
  onProgress: (done: number) => void = () => undefined,
): Promise<{ done: number }> {
  const store: ModelStore = memoryModelStore({ keep: 5 });
  let done = 0;
  for (let k = 0; done < total; k++) {
    const n = Math.min(round, total - done);
    const replay = chunk(k, n, round);
    // Transactions done so far, from the round's records done (chargebacks and invalid included).
    const r = await fraudRun(memoryBus({ partitions: 4 }), store, replay, {
      onProgress: (records, of) => onProgress(done + Math.round((records / of) * n)),
    });
    done += r.transactions;
    onRound(done, r.durationMs);
    // A memory-bus run never leaves the microtask queue, so timers armed by the finished run
    // (sink linger) fire only once the event loop turns; until then they hold that run.
    await sleep(10);
  }
  return { done };
}

/** Raw input bytes as the flow reads them: JSON of the value, or the text as it is. */
const inputSerde = {
  serialize: (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8'),
};

/**
 * The Kafka soak: one fraud flow running on `bus` while generated transactions are written to
 * its input topics at `rate` records/s for `seconds`, in chunks of 10,000 generated as they are
 * needed (event time goes on from chunk to chunk). Resolves once the input stopped and the
 * flow was stopped (what it had not done by then stays uncommitted).
 */
export async function kafkaSoak(
  bus: KafkaBus,
  store: ModelStore,
  suffix: string,
  rate: number,
  seconds: number,
  runOptions: Parameters<typeof run>[1],
  onStart: (handle: RunHandle) => void = () => undefined,
): Promise<{ handle: RunHandle; written: number }> {
  const topics = fraudTopics(suffix);
  const flow = fraudFlow({
    bus: bus as Bus,
    topics,
    store,
    mode: 'cards',
    group: `soak-${suffix}`,
    pseudonymKey: 'benchmark-pseudonym-key-32-bytes',
  });
  const handle = run(flow.pipeline, { logger: silentLogger, ...runOptions });
  onStart(handle);
  handle.done.catch((error: unknown) => console.error('soak: the flow failed', error));
  const sinks = {
    transactions: bus.sink({ topic: topics.transactions, serde: inputSerde }),
    chargebacks: bus.sink({ topic: topics.chargebacks, serde: inputSerde }),
  };
  await Promise.all([sinks.transactions.open?.(), sinks.chargebacks.open?.()]);
  // Small chunks: generating one blocks the event loop.
  const CHUNK = 10_000;
  const tick = Math.max(1, Math.round(rate / 100)); // records per 10 ms
  const out = (r: ReplayRecord): OutRecord<unknown> => ({
    key: r.key,
    value: r.value,
    headers: {},
    timestamp: r.time,
  });
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  let written = 0;
  const inFlight = new Set<Promise<unknown>>();
  for (let k = 0; performance.now() < until; k++) {
    const records = chunk(k, CHUNK, CHUNK).records;
    for (let i = 0; i < records.length && performance.now() < until; i += tick) {
      const due = t0 + (written / rate) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const batch = records.slice(i, i + tick);
      // Writes overlap (the producer keeps their order): the rate does not wait on acks.
      const write = Promise.all([
        sinks.transactions.write(batch.filter((r) => r.stream === 'transactions').map(out)),
        sinks.chargebacks.write(batch.filter((r) => r.stream === 'chargebacks').map(out)),
      ]).finally(() => inFlight.delete(write));
      inFlight.add(write);
      if (inFlight.size >= 64) await Promise.race(inFlight);
      written += batch.length;
    }
  }
  await Promise.all(inFlight);
  await handle.stop();
  return { handle, written };
}
