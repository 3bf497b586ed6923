/**
 * A pipeline worker process for the scale-out and crash tests: reads `input` in `group`,
 * tags each JSON record with the worker's name and writes it to `output`.
 * Config comes as JSON in TRIBUTARY_WORKER; SIGTERM stops it gracefully.
 */
import { pipeline, run, silentLogger, sleep } from '@tributary/core';
import { kafkaBus } from '../src/index.js';

interface WorkerConfig {
  brokers: string;
  client: 'kafkajs' | 'confluent' | 'confluent-native';
  name: string;
  group: string;
  input: string;
  output: string;
  exactlyOnce?: boolean;
  delayMs?: number;
}

const cfg = JSON.parse(process.env.TRIBUTARY_WORKER ?? '{}') as WorkerConfig;
const bus = kafkaBus({
  brokers: cfg.brokers,
  client: cfg.client,
  clientId: cfg.name,
  logLevel: 'nothing',
  consumer: { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500 },
  ...(cfg.exactlyOnce
    ? { exactlyOnce: { transactionalId: `${cfg.group}-${cfg.name}`, transactionTimeoutMs: 10_000 } }
    : {}),
});

const p = pipeline(bus.source({ topic: cfg.input, group: cfg.group }))
  .pipe(async (value, ctx) => {
    const record = JSON.parse(Buffer.from(value as Uint8Array).toString('utf8')) as object;
    if (cfg.delayMs) await sleep(cfg.delayMs);
    return JSON.stringify({ ...record, worker: cfg.name, at: `${ctx.partition}:${ctx.offset}` });
  })
  .to(bus.sink({ topic: cfg.output }));

const handle = run(p, {
  name: cfg.name,
  logger: silentLogger,
  commitIntervalMs: 200,
  onEvent: (e) => {
    if (e.type === 'assigned') console.log(`assigned ${e.partitions.length}`);
  },
});
process.on('SIGTERM', () => {
  void handle
    .stop()
    .then(() => bus.close())
    .then(() => process.exit(0));
});
handle.done.catch((error: unknown) => {
  console.error('worker failed', error);
  process.exit(1);
});
console.log('started');
