/**
 * Soak (issue 13): the fraud flow for a long time, RSS and heap sampled every 10 s.
 *
 *   npx tsx bench/src/soak.ts memory [-n 10000000] [--round 500000]
 *   scripts/kafka/kafka start && npx tsx bench/src/soak.ts kafka [--minutes 30] [--rate 5000]
 *
 * Samples go to bench/results/soak-<mode>.jsonl.tmp as they are taken, the summary to
 * bench/results/soak-<mode>.json; `npx tsx bench/src/soakPlot.ts` draws docs/soak.svg.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunHandle } from '@tributary/core';
import { type KafkaClientKind, kafkaBus, kafkaModelStore, kafkaRunProfile } from '@tributary/kafka';
import { Command } from 'commander';
import { growth, kafkaSoak, memorySoak, sampler } from './soakScenario.js';

const opts = new Command()
  .argument('<mode>', "'memory' or 'kafka'")
  .option(
    '-n, --transactions <n>',
    'transactions (memory)',
    (v) => Number.parseInt(v, 10),
    10_000_000,
  )
  .option(
    '--round <n>',
    'transactions per memory bus (memory)',
    (v) => Number.parseInt(v, 10),
    500_000,
  )
  .option('--minutes <n>', 'length of the Kafka soak', (v) => Number.parseFloat(v), 30)
  .option('--rate <n>', 'input records/s (Kafka)', (v) => Number.parseInt(v, 10), 5000)
  .option('--client <client>', 'Kafka client', 'confluent-native')
  .option('--interval <s>', 'seconds between samples', (v) => Number.parseFloat(v), 10)
  .option(
    '--warmup <s>',
    'seconds of warm-up left out of the growth figure',
    (v) => Number.parseFloat(v),
    120,
  )
  .option(
    '-b, --brokers <list>',
    'bootstrap brokers',
    process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  )
  .parse();
const mode = opts.args[0];
const o = opts.opts<{
  transactions: number;
  round: number;
  minutes: number;
  rate: number;
  client: KafkaClientKind;
  interval: number;
  warmup: number;
  brokers: string;
}>();
if (mode !== 'memory' && mode !== 'kafka') {
  console.error("mode must be 'memory' or 'kafka'");
  process.exit(2);
}
const results = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(results, { recursive: true });
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

let done = 0;
let lag = 0;
const samples = sampler(`${results}soak-${mode}.jsonl.tmp`, o.interval * 1000, () => ({
  done,
  lag,
}));
const t0 = performance.now();
let extra: Record<string, unknown> = {};

if (mode === 'memory') {
  console.log(
    `# Soak, memory bus: ${fmt(o.transactions)} transactions in rounds of ${fmt(o.round)}`,
  );
  await memorySoak(
    o.transactions,
    o.round,
    (d, ms) => {
      done = d;
      const s = samples.samples[samples.samples.length - 1];
      console.log(
        `${fmt(d)} done (round ${(ms / 1000).toFixed(0)} s), rss ${s?.rssMb} MB, heap ${s?.heapUsedMb} MB`,
      );
    },
    // Sampled from the replay's progress: no timer fires while the memory bus works.
    (d) => {
      done = d;
      samples.tick();
    },
  );
  extra = { transactions: done, round: o.round };
} else {
  const bus = kafkaBus({
    brokers: o.brokers,
    client: o.client,
    profile: 'latency',
    logLevel: 'error',
  });
  const suffix = `soak-${randomUUID().slice(0, 8)}`;
  await bus.admin.ensureTopics(
    ['transactions', 'chargebacks'].map((t) => ({ topic: `${t}-${suffix}`, partitions: 4 })),
  );
  const store = kafkaModelStore(bus, { topic: `fraud-models-${suffix}`, keep: 5 });
  console.log(
    `# Soak, Kafka (${o.client}): fraud flow, input at ${fmt(o.rate)} records/s for ${o.minutes} min`,
  );
  let current: RunHandle | undefined;
  const progress = setInterval(() => {
    const m = current?.metrics();
    if (m === undefined) return;
    done = m.recordsDone;
    lag = m.lag.reduce((s, l) => s + l.lag, 0);
  }, 1000);
  const { handle, written } = await kafkaSoak(
    bus,
    store,
    suffix,
    o.rate,
    o.minutes * 60,
    kafkaRunProfile('latency'),
    (h) => {
      current = h;
    },
  );
  clearInterval(progress);
  const m = handle.metrics();
  done = m.recordsDone;
  extra = {
    client: o.client,
    rate: o.rate,
    minutes: o.minutes,
    written,
    recordsDone: m.recordsDone,
  };
  await store.close?.();
  await bus.admin.deleteTopics((await bus.admin.listTopics()).filter((t) => t.endsWith(suffix)));
  await bus.close();
}
samples.stop();
const g = growth(samples.samples, o.warmup);
const summary = { mode, seconds: Math.round((performance.now() - t0) / 1000), ...extra, growth: g };
writeFileSync(
  `${results}soak-${mode}.json`,
  `${JSON.stringify({ ...summary, samples: samples.samples }, null, 1)}\n`,
);
console.log(JSON.stringify(summary, null, 2));
process.exit(0);
