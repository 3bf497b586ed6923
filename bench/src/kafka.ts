/**
 * Kafka benchmark (issues 3 and 13): N records of ~200 bytes consumed, mapped and produced with
 * commits on the local broker, through Tributary on each client (and on the native engine with
 * the throughput profile, at least once and exactly once), each KafkaJS-style client's own
 * consume → produce loop, and kcat; then end-to-end latency at a fixed rate.
 *
 *   scripts/kafka/kafka start && npx tsx bench/src/kafka.ts [-n 1000000] [--rate 5000] [--seconds 20]
 */
import { randomUUID } from 'node:crypto';
import { kafkaRunProfile } from '@tributary/kafka';
import { Command, Option } from 'commander';
import {
  type BenchRunOptions,
  bench,
  type Client,
  count,
  hasKcat,
  kcat,
  nativeRawLatency,
  type RawClient,
  raw,
  rawLatency,
  seed,
  tributary,
  tributaryConsumerHop,
  tributaryLatency,
} from './kafkaScenario.js';
import {
  type HarnessClient,
  type LatencyContender,
  latency,
  noContender,
  quantiles,
} from './latencyHarness.js';

const opts = new Command()
  .option(
    '-b, --brokers <list>',
    'bootstrap brokers',
    process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  )
  .option('-n, --records <n>', 'records', (v) => Number.parseInt(v, 10), 1_000_000)
  .option('--rate <n>', 'records/s for the latency run', (v) => Number.parseInt(v, 10), 5000)
  .option('--seconds <n>', 'length of the latency run', (v) => Number.parseInt(v, 10), 20)
  .option('--clients <list>', 'clients', 'kafkajs,confluent,confluent-native')
  .option('--batch-size <n>', "Tributary's run batchSize (records per sink write)", (v) =>
    Number.parseInt(v, 10),
  )
  .option('--max-in-flight <n>', "Tributary's run maxInFlight", (v) => Number.parseInt(v, 10))
  .addOption(
    new Option('--harness <client>', "client of the latency run's producer and witness")
      .choices(['native', 'kafkajs'])
      .default('native'),
  )
  .option('--no-latency', 'skip the latency runs')
  .option('--no-throughput', 'skip the throughput runs')
  .option('--no-eos', 'skip the exactly-once run')
  .parse()
  .opts<{
    brokers: string;
    records: number;
    rate: number;
    seconds: number;
    clients: string;
    batchSize?: number;
    maxInFlight?: number;
    harness: HarnessClient;
    latency: boolean;
    throughput: boolean;
    eos: boolean;
  }>();
const runOptions: BenchRunOptions = {
  ...(opts.batchSize === undefined ? {} : { batchSize: opts.batchSize }),
  ...(opts.maxInFlight === undefined ? {} : { maxInFlight: opts.maxInFlight }),
};

if (!(await hasKcat())) {
  console.error(
    "kcat (librdkafka's command-line client) is not installed: it seeds the input topic and is the\n" +
      'librdkafka baseline. Install it (Debian/Ubuntu: apt-get install -y kcat) and run again.',
  );
  process.exit(2);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (ms: number) => opts.records / (ms / 1000);
const clients = opts.clients.split(',') as Client[];
const rawClients = clients.filter((c): c is RawClient => c === 'kafkajs' || c === 'confluent');
const native = clients.includes('confluent-native');
const id = randomUUID().slice(0, 8);
const input = `bench-${id}-in`;

const admin = bench(opts.brokers, 'kafkajs');
const rows: string[] = [];
if (opts.throughput) {
  await admin.admin.ensureTopics([{ topic: input, partitions: 4 }]);
  console.log(
    `# Kafka: ${fmt(opts.records)} records of ~200 bytes, 4 partitions, consume → map → produce with commits`,
  );
  await seed(opts.brokers, input, opts.records);
  if ((await count(admin, input)) !== opts.records) throw new Error('seeding came short');

  const results = new Map<string, number>();
  const contend = async (label: string, fn: (output: string) => Promise<number>) => {
    // Numbered, not named after the client: the integration suite deletes topics named `*-<client>-*`.
    const output = `bench-${id}-out-${results.size}`;
    await admin.admin.ensureTopics([{ topic: output, partitions: 4 }]);
    const ms = await fn(output);
    // End offsets: with exactly-once they also count one commit marker per transaction.
    const written = await count(admin, output);
    if (written < opts.records) throw new Error(`${label}: wrote ${written} of ${opts.records}`);
    results.set(label, rate(ms));
    console.log(`${label}: ${fmt(rate(ms))} records/s (${(ms / 1000).toFixed(1)} s)`);
  };
  const tributaryOn = async (
    label: string,
    client: Client,
    bus: Parameters<typeof bench>[2],
    run: BenchRunOptions,
  ) => {
    const b = bench(opts.brokers, client, bus);
    await contend(label, (out) => tributary(b, input, out, opts.records, run));
    await b.close();
  };

  for (const client of rawClients) {
    await contend(`${client} raw loop`, (out) =>
      raw(client, opts.brokers, input, out, opts.records),
    );
  }
  for (const client of clients) {
    await tributaryOn(`Tributary on ${client}`, client, {}, runOptions);
  }
  if (native) {
    const profile = { ...kafkaRunProfile('throughput'), ...runOptions };
    await tributaryOn(
      "Tributary on confluent-native, profile 'throughput'",
      'confluent-native',
      { profile: 'throughput' },
      profile,
    );
    if (opts.eos) {
      await tributaryOn(
        "Tributary on confluent-native, profile 'throughput', exactly-once",
        'confluent-native',
        { profile: 'throughput', exactlyOnce: { transactionalId: `bench-eos-${id}` } },
        profile,
      );
    }
  }
  await contend('kcat → kcat (librdkafka, no map)', (out) => kcat(opts.brokers, input, out));

  const bestRaw = Math.max(...rawClients.map((c) => results.get(`${c} raw loop`) ?? 0));
  const kcatRate = results.get('kcat → kcat (librdkafka, no map)') ?? 0;
  const ratio = (r: number, base: number) => (base > 0 ? `${(r / base).toFixed(2)}x` : '');
  rows.push(
    '| contender | records/s | vs best raw loop | vs kcat |',
    '|---|---:|---:|---:|',
    ...[...results].map(
      ([label, r]) => `| ${label} | ${fmt(r)} | ${ratio(r, bestRaw)} | ${ratio(r, kcatRate)} |`,
    ),
  );
  console.log(`Tributary run options: ${JSON.stringify(runOptions)}`);
}

if (opts.latency) {
  rows.push(
    '',
    `Latency at ${fmt(opts.rate)} records/s for ${opts.seconds} s (send → visible in the output topic; ${opts.harness} harness):`,
    '',
    '| contender | p50 (ms) | p99 (ms) |',
    '|---|---:|---:|',
  );
  const measure = async (label: string, start: LatencyContender, read?: 'input') => {
    // The producer and the witness run in a child process (see latencyHarness.ts).
    const [p50, p99] = await latency(
      opts.brokers,
      start,
      opts.rate,
      opts.seconds,
      opts.harness,
      read,
    );
    rows.push(`| ${label} | ${p50} | ${p99} |`);
    console.log(`${label}: p50 ${p50} ms, p99 ${p99} ms`);
  };
  for (const client of clients) {
    const bus = bench(opts.brokers, client);
    await measure(`Tributary on ${client}`, tributaryLatency(bus, runOptions));
    await bus.close();
  }
  if (native) {
    const bus = bench(opts.brokers, 'confluent-native', { profile: 'latency' });
    await measure(
      "Tributary on confluent-native, profile 'latency'",
      tributaryLatency(bus, { ...kafkaRunProfile('latency'), ...runOptions }),
    );
    await bus.close();
  }
  for (const client of rawClients) {
    await measure(`${client} raw loop`, rawLatency(client, opts.brokers));
  }
  if (native) {
    await measure('librdkafka loop (native API, no delivery wait)', nativeRawLatency(opts.brokers));
    // The consumer hop alone: Tributary and the witness read the same topic at the same time.
    const bus = bench(opts.brokers, 'confluent-native', { profile: 'latency' });
    const seen: number[] = [];
    const start = tributaryConsumerHop(bus, { ...kafkaRunProfile('latency'), ...runOptions }, seen);
    await measure('consumer hop only: the witness, same topic, same time', start, 'input');
    await bus.close();
    const [t50, t99] = quantiles(seen);
    rows.push(
      `| consumer hop only: Tributary on confluent-native, profile 'latency' (first stage) | ${t50} | ${t99} |`,
    );
    console.log(`consumer hop: Tributary p50 ${t50} p99 ${t99}`);
  }
  // The witness reads what the producer wrote: one broker hop, no contender; the floor of
  // this harness on this broker (a contender adds a second hop).
  await measure('one hop, no contender (harness floor)', noContender, 'input');
}
await admin.close();
console.log(`\n${rows.join('\n')}`);
process.exit(0);
