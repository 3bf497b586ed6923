import {
  type Bytes,
  jsonSerde,
  memoryBus,
  type OutRecord,
  pipeline,
  run,
  type Sink,
  silentLogger,
  type TRecord,
} from '@tributary/core';

/** A payment as the benchmark's source holds it. */
interface Txn {
  readonly card: string;
  readonly amount: number;
  readonly ts: number;
}
interface Enriched {
  readonly card: string;
  readonly cents: number;
  readonly hour: number;
}
interface Features {
  readonly card: string;
  readonly logAmount: number;
  readonly night: number;
}

// The three small stages, shared by the pipeline and the hand-written loop.
const enrich = (t: Txn): Enriched => ({
  card: t.card,
  cents: Math.round(t.amount * 100),
  hour: Math.floor(t.ts / 3_600_000) % 24,
});
const features = (e: Enriched): Features => ({
  card: e.card,
  logAmount: Math.log1p(e.cents),
  night: e.hour < 6 ? 1 : 0,
});
const score = (f: Features): number => 1 / (1 + Math.exp(-(0.8 * f.logAmount - 6 + 1.5 * f.night)));

// Both sides decode the stored JSON bytes with the same serde, as a user's pipeline would.
const txnSerde = jsonSerde<Txn>();

/** Result of one timed run. */
export interface Timing {
  readonly records: number;
  readonly ms: number;
  readonly checksum: number;
}

/** Puts `n` keyed payments on a 4-partition memory topic. */
export function seedPayments(n: number) {
  const bus = memoryBus({ partitions: 4 });
  const records = Array.from({ length: n }, (_, i) => ({
    key: `card-${i % 1000}`,
    value: { card: `card-${i % 1000}`, amount: (i % 997) + 0.99, ts: 1_700_000_000_000 + i * 1000 },
  }));
  for (let i = 0; i < n; i += 100_000) bus.produce('payments', records.slice(i, i + 100_000));
  return bus;
}

/** A sink that keeps what it is given, like the loop's output array. */
function arraySink(): Sink<number> & { out: OutRecord<number>[] } {
  const out: OutRecord<number>[] = [];
  return {
    name: 'array',
    out,
    write: async (batch) => {
      for (const r of batch) out.push(r);
    },
  };
}

/** The three stages through Tributary: memory source → 3 stages → array sink, with commits. */
export async function runPipeline(
  bus: ReturnType<typeof seedPayments>,
  group: string,
): Promise<Timing> {
  const sink = arraySink();
  const started = performance.now();
  const summary = await run(
    pipeline(bus.source({ topic: 'payments', group, serde: txnSerde, stopAtEnd: true }))
      .pipe(enrich)
      .pipe(features)
      .pipe(score)
      .to(sink),
    { logger: silentLogger },
  ).done;
  const ms = performance.now() - started;
  let checksum = 0;
  for (const r of sink.out) checksum += r.value;
  return { records: summary.recordsDone, ms, checksum };
}

/**
 * The same work by hand: read each partition's records in order, run the three
 * stages, append an output record to an array, and track the next offset to commit.
 */
export async function runLoop(bus: ReturnType<typeof seedPayments>): Promise<Timing> {
  const partitions = new Map<number, TRecord<Bytes>[]>();
  for (const r of bus.records('payments')) {
    const list = partitions.get(r.partition) ?? [];
    list.push(r);
    partitions.set(r.partition, list);
  }
  const started = performance.now();
  const out: OutRecord<number>[] = [];
  const committed = new Map<number, number>();
  for (const [partition, records] of partitions) {
    for (const r of records) {
      out.push({
        key: r.key,
        value: score(features(enrich(txnSerde.deserialize(r.value)))),
        headers: r.headers,
        timestamp: r.timestamp,
      });
      committed.set(partition, r.offset + 1);
    }
  }
  const ms = performance.now() - started;
  let checksum = 0;
  for (const r of out) checksum += r.value;
  return { records: out.length, ms, checksum };
}
