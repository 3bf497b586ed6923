import { fileURLToPath } from 'node:url';
import { type Bus, memoryBus } from '@tributary/core';
import { dashboard } from '@tributary/dashboard';
import { type ModelStore, memoryModelStore } from '@tributary/learn';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { alertSinks } from './alertSinks.js';
import { csvReplay } from './csvReplay.js';
import { showFraudFlow } from './dashboardView.js';
import { runFraud } from './flow.js';
import { generateTransactions } from './generator.js';
import type { durableOnKafka } from './kafkaDurable.js';
import { fraudTopics } from './schema.js';
import { printSummary } from './summary.js';

const defaultCsv = fileURLToPath(new URL('../data/creditcard_ulb_random2pct.csv', import.meta.url));
const opts = new Command('fraud-detection')
  .description(
    'Card-fraud detection on Tributary: the embedded bus, or Kafka when KAFKA_BROKERS is set',
  )
  .option(
    '-n, --transactions <n>',
    'generated transactions',
    (v) => Number.parseInt(v, 10),
    100_000,
  )
  .option('--cards <n>', 'generated cards', (v) => Number.parseInt(v, 10), 2000)
  .option('--data [file]', `replay a CSV in the ULB format instead (default ${defaultCsv})`)
  .option('--classifier <kind>', 'logistic or ftrl', 'logistic')
  .option('--target-precision <p>', 'alert precision to aim for', Number.parseFloat, 0.9)
  .option('--seed <n>', 'generator seed', (v) => Number.parseInt(v, 10), 42)
  .option('--client <kind>', 'Kafka client: kafkajs or confluent', 'kafkajs')
  .option('--out <dir>', 'folder of the alerts JSONL file', 'out')
  .option('--no-checkpoint', 'on Kafka, do not checkpoint the stages at each commit (see README)')
  .option('--dashboard', 'serve a live dashboard of the flow (kept up after the run until Ctrl+C)')
  .option('--dashboard-port <n>', 'port of the dashboard', (v) => Number.parseInt(v, 10), 9465)
  .parse()
  .opts<{
    transactions: number;
    cards: number;
    data?: string | true;
    classifier: 'logistic' | 'ftrl';
    targetPrecision: number;
    seed: number;
    client: 'kafkajs' | 'confluent';
    out: string;
    checkpoint: boolean;
    dashboard?: boolean;
    dashboardPort: number;
  }>();

const replay =
  opts.data === undefined
    ? generateTransactions({ transactions: opts.transactions, cards: opts.cards, seed: opts.seed })
    : csvReplay(opts.data === true ? defaultCsv : opts.data);
const brokers = process.env.KAFKA_BROKERS;
// The one line that differs between the buses; Kafka runs get their own topics.
const runId = Date.now().toString(36);
const topics = fraudTopics(brokers ? runId : '');
let bus: Bus = memoryBus({ partitions: 4 });
let store: ModelStore & { close?: () => Promise<void> } = memoryModelStore({ keep: 10 });
// On Kafka: pending transactions in durable keyed state and checkpoints of the stages, so a
// killed or rebalanced worker resumes (kafkaDurable.ts). The embedded bus keeps them in the
// label join: one process, nothing to survive.
let durable: Partial<ReturnType<typeof durableOnKafka>> = {};
if (brokers) {
  // Loaded only for Kafka runs, so the embedded demo needs no Kafka client.
  const { kafkaBus, kafkaModelStore } = await import('@tributary/kafka');
  const { CHECKPOINT_MAX_BYTES, durableOnKafka } = await import('./kafkaDurable.js');
  const kafka = kafkaBus({
    brokers: brokers.split(','),
    client: opts.client,
    // The checkpoints are bigger than Kafka's default 1 MB record (and bounded, see kafkaDurable).
    ...(opts.checkpoint ? { producer: { maxMessageBytes: CHECKPOINT_MAX_BYTES } } : {}),
  });
  await kafka.admin.ensureTopics(
    [topics.transactions, topics.chargebacks, topics.predictions, topics.alerts].map((topic) => ({
      topic,
      partitions: 4,
    })),
  );
  bus = kafka;
  store = kafkaModelStore(kafka, { topic: topics.models, keep: 10 });
  durable = durableOnKafka(kafka, store, topics, { checkpoint: opts.checkpoint });
}

console.log(`Tributary fraud detection: ${replay.description}`);
console.log(
  `  on ${brokers ? `Kafka at ${brokers} (${opts.client}), topics *-${runId}` : 'the embedded memory bus'}`,
);
const dash = opts.dashboard
  ? await dashboard({ port: opts.dashboardPort, title: 'Tributary: fraud detection' })
  : undefined;
if (dash) console.log(`  dashboard: ${dash.url}`);
const bar = new SingleBar(
  {
    format: ' {bar} {percentage}% | {value}/{total} records | {rate} rec/s',
    noTTYOutput: true,
    notTTYSchedule: 2000,
  },
  Presets.shades_classic,
);
bar.start(replay.records.length, 0, { rate: 0 });
const started = performance.now();
const result = await runFraud({
  bus,
  topics,
  store,
  replay,
  mode: replay.mode,
  classifier: opts.classifier,
  targetPrecision: opts.targetPrecision,
  pseudonymKey: process.env.FRAUD_PSEUDONYM_KEY ?? 'demo-only-pseudonym-key-change-me',
  labelTtlMs: 48 * 3_600_000,
  ...(durable.pending === undefined ? {} : { pending: durable.pending }),
  alertSinks: await alertSinks({ dir: opts.out, databaseUrl: process.env.DATABASE_URL }),
  run: {
    ...durable.run,
    handleSignals: true,
    ...(dash ? { onEvent: dash.onEvent('fraud detection') } : {}),
  },
  ...(dash ? { onStart: (handle, flow) => showFraudFlow(dash, handle, flow) } : {}),
  onProgress: (done) =>
    bar.update(done, { rate: Math.round(done / ((performance.now() - started) / 1000)) }),
});
bar.stop();
printSummary(result, replay, brokers ? `kafka (${opts.client})` : 'memory');
await store.close?.();
await bus.close();
if (dash) {
  console.log(`\ndashboard still at ${dash.url}; Ctrl+C to quit`);
  await new Promise((resolve) => process.once('SIGINT', resolve));
  await dash.close();
}
