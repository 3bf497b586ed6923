/**
 * A pipeline process for the kill -9 tests: keeps producing records onto an in-process memory
 * bus and runs them into a JSONL or PostgreSQL sink. Every commit the runtime reports is
 * appended to `commitLog` and fsynced, so the test knows what was committed when it kills us.
 * Config comes as JSON in TRIBUTARY_CRASH_WORKER.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { memoryBus, pipeline, run, type Sink, silentLogger } from '@tributary/core';
import { jsonlSink, postgresSink } from '../src/index.js';

interface CrashConfig {
  readonly sink: 'jsonl' | 'postgres';
  readonly commitLog: string;
  /** JSONL file. */
  readonly path?: string;
  readonly maxBytes?: number;
  /** PostgreSQL URL and table. */
  readonly url?: string;
  readonly table?: string;
  /** Stop producing after this many records per partition (the run goes on). */
  readonly limit?: number;
}

interface Row {
  readonly id: string;
  readonly partition: number;
  readonly offset: number;
  readonly pad: string;
}

const cfg = JSON.parse(process.env.TRIBUTARY_CRASH_WORKER ?? '{}') as CrashConfig;
const partitions = 2;
const bus = memoryBus({ partitions });
const decode = {
  deserialize: (raw: Uint8Array | null) =>
    JSON.parse(Buffer.from(raw as Uint8Array).toString('utf8')) as { n: number },
};

const sink: Sink<Row> =
  cfg.sink === 'jsonl'
    ? jsonlSink<Row>(cfg.path as string, { rotate: { maxBytes: cfg.maxBytes ?? 256 * 1024 } })
    : postgresSink<Row>({
        connection: cfg.url as string,
        table: cfg.table as string,
        columns: {
          id: (r) => r.id,
          source_partition: (r) => r.partition,
          source_offset: (r) => r.offset,
          pad: (r) => r.pad,
        },
        key: ['id'],
      });

const log = openSync(cfg.commitLog, 'a');
const handle = run(
  pipeline(bus.source({ topic: 'in', group: 'crash', serde: decode }))
    .pipe((v, ctx) => ({
      id: `${ctx.partition}:${ctx.offset}`,
      partition: ctx.partition,
      offset: ctx.offset,
      pad: 'x'.repeat(v.n % 200),
    }))
    .to(sink),
  {
    name: 'crash',
    logger: silentLogger,
    batchSize: 200,
    lingerMs: 2,
    commitIntervalMs: 20,
    onEvent: (e) => {
      if (e.type !== 'commit') return;
      writeSync(log, `${JSON.stringify(e.offsets)}\n`);
      fsyncSync(log);
    },
  },
);
handle.done.then(
  () => closeSync(log),
  (error: unknown) => {
    console.error('worker failed', error);
    process.exit(1);
  },
);

// Keep the bus fed: a few hundred records every few milliseconds, both partitions.
let n = 0;
const feed = setInterval(() => {
  if (cfg.limit !== undefined && n >= cfg.limit * partitions) {
    clearInterval(feed);
    return;
  }
  bus.produce(
    'in',
    Array.from({ length: 400 }, () => {
      const i = n++;
      return { partition: i % partitions, value: Buffer.from(JSON.stringify({ n: i })) };
    }),
  );
}, 5);
console.log('started');
