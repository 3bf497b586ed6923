/**
 * Kafka benchmark (issue 3): N records of ~200 bytes consumed, mapped and produced with
 * commits on the local broker, through Tributary on each client, each client's own
 * consume → produce loop, and kcat; then end-to-end latency at a fixed rate.
 *
 *   scripts/kafka/kafka start && npx tsx bench/src/kafka.ts [-n 1000000] [--rate 5000] [--seconds 20]
 */
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import {
  bench,
  type Client,
  count,
  kcat,
  latency,
  raw,
  rawLatency,
  seed,
  tributary,
  tributaryLatency,
} from './kafkaScenario.js';

const opts = new Command()
  .option(
    '-b, --brokers <list>',
    'bootstrap brokers',
    process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  )
  .option('-n, --records <n>', 'records', (v) => Number.parseInt(v, 10), 1_000_000)
  .option('--rate <n>', 'records/s for the latency run', (v) => Number.parseInt(v, 10), 5000)
  .option('--seconds <n>', 'length of the latency run', (v) => Number.parseInt(v, 10), 20)
  .option('--clients <list>', 'clients', 'kafkajs,confluent')
  .option('--batch-size <n>', "Tributary's run batchSize (records per sink write)", (v) =>
    Number.parseInt(v, 10),
  )
  .option('--max-in-flight <n>', "Tributary's run maxInFlight", (v) => Number.parseInt(v, 10))
  .option('--no-latency', 'skip the latency runs')
  .parse()
  .opts<{
    brokers: string;
    records: number;
    rate: number;
    seconds: number;
    clients: string;
    batchSize?: number;
    maxInFlight?: number;
    latency: boolean;
  }>();
const runOptions = {
  ...(opts.batchSize === undefined ? {} : { batchSize: opts.batchSize }),
  ...(opts.maxInFlight === undefined ? {} : { maxInFlight: opts.maxInFlight }),
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (ms: number) => opts.records / (ms / 1000);
const clients = opts.clients.split(',') as Client[];
const id = randomUUID().slice(0, 8);
const input = `bench-${id}-in`;

const admin = bench(opts.brokers, 'kafkajs');
await admin.admin.ensureTopics([{ topic: input, partitions: 4 }]);
console.log(
  `# Kafka: ${fmt(opts.records)} records of ~200 bytes, 4 partitions, consume → map → produce with commits`,
);
await seed(opts.brokers, input, opts.records);
if ((await count(admin, input)) !== opts.records) throw new Error('seeding came short');

const rows: string[] = [];
const results = new Map<string, number>();
const contend = async (label: string, fn: (output: string) => Promise<number>) => {
  const output = `bench-${id}-out-${label.replace(/\W+/g, '-')}`;
  await admin.admin.ensureTopics([{ topic: output, partitions: 4 }]);
  const ms = await fn(output);
  const written = await count(admin, output);
  if (written < opts.records) throw new Error(`${label}: wrote ${written} of ${opts.records}`);
  results.set(label, rate(ms));
  console.log(`${label}: ${fmt(rate(ms))} records/s (${(ms / 1000).toFixed(1)} s)`);
};

for (const client of clients) {
  await contend(`${client} raw loop`, (out) => raw(client, opts.brokers, input, out, opts.records));
  const bus = bench(opts.brokers, client);
  await contend(`Tributary on ${client}`, (out) =>
    tributary(bus, input, out, opts.records, runOptions),
  );
  await bus.close();
}
await contend('kcat → kcat (librdkafka, no map)', (out) => kcat(opts.brokers, input, out));

rows.push("| contender | records/s | vs its client's raw loop |", '|---|---:|---:|');
for (const [label, r] of results) {
  const client = clients.find((c) => label === `Tributary on ${c}`);
  const base = client === undefined ? undefined : results.get(`${client} raw loop`);
  rows.push(`| ${label} | ${fmt(r)} | ${base === undefined ? '' : `${(r / base).toFixed(2)}x`} |`);
}

console.log(`Tributary run options: ${JSON.stringify(runOptions)}`);
if (!opts.latency) {
  console.log(`\n${rows.join('\n')}`);
  process.exit(0);
}
rows.push(
  '',
  `Latency at ${fmt(opts.rate)} records/s for ${opts.seconds} s (send → visible in the output topic):`,
  '',
  '| contender | p50 (ms) | p99 (ms) |',
  '|---|---:|---:|',
);
for (const client of clients) {
  const bus = bench(opts.brokers, client);
  const [tp50, tp99] = await latency(
    opts.brokers,
    tributaryLatency(bus, runOptions),
    opts.rate,
    opts.seconds,
  );
  await bus.close();
  const [rp50, rp99] = await latency(
    opts.brokers,
    rawLatency(client, opts.brokers),
    opts.rate,
    opts.seconds,
  );
  rows.push(
    `| Tributary on ${client} | ${tp50} | ${tp99} |`,
    `| ${client} raw loop | ${rp50} | ${rp99} |`,
  );
}
await admin.close();
console.log(`\n${rows.join('\n')}`);
process.exit(0);
