import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pipeline, type RunOptions, run, silentLogger, sleep } from '@tributary/core';
import { type KafkaBus, type KafkaBusOptions, kafkaBus } from '@tributary/kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

/** Which implementation moves the records. */
export type Contender = 'tributary' | 'raw' | 'kcat';
export type Client = 'kafkajs' | 'confluent' | 'confluent-native';
/** The clients with a KafkaJS-style API of their own (a raw loop to compare with). */
export type RawClient = 'kafkajs' | 'confluent';

/** True when Debian's `kcat` (librdkafka's CLI) is on the PATH. */
export async function hasKcat(): Promise<boolean> {
  return sh('kcat', ['-V']).then(
    () => true,
    () => false,
  );
}

/** The map step every contender applies: parse, add a field, serialise. */
export function mapValue(value: Buffer | Uint8Array | null): Buffer {
  const v = JSON.parse(Buffer.from(value ?? new Uint8Array(0)).toString('utf8')) as Record<
    string,
    unknown
  >;
  v.mapped = true;
  return Buffer.from(JSON.stringify(v), 'utf8');
}

/** A ~200-byte JSON record. */
export function makeValue(i: number, t = 0): string {
  return JSON.stringify({
    id: i,
    t,
    card: `card-${i % 10_000}`,
    amount: (i % 9973) / 100,
    currency: 'EUR',
    merchant: `merchant-${i % 517}`,
    country: 'FR',
    note: 'x'.repeat(60),
  });
}

const sh = (cmd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 1 << 26 }, (e, out, err) =>
      e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out),
    ),
  );

/** Seeds `topic` with `n` keyed records using kcat (librdkafka), the fastest way in. */
export async function seed(brokers: string, topic: string, n: number): Promise<void> {
  const child = spawn('kcat', ['-b', brokers, '-P', '-t', topic, '-K', '\t', '-z', 'none'], {
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const done = new Promise<void>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kcat -P exited ${code}`)),
    ),
  );
  const chunk = 10_000;
  for (let i = 0; i < n; i += chunk) {
    let text = '';
    for (let j = i; j < Math.min(n, i + chunk); j++) text += `k${j % 10_000}\t${makeValue(j)}\n`;
    if (!child.stdin.write(text)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  await done;
}

/** Sum of end offsets of a topic: how many records it holds (no transactions here). */
export async function count(bus: KafkaBus, topic: string): Promise<number> {
  const kafka = new Kafka({ brokers: [brokersOf(bus)], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((s, o) => s + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}
const brokersByBus = new WeakMap<KafkaBus, string>();
const brokersOf = (bus: KafkaBus) => brokersByBus.get(bus) as string;

export function bench(
  brokers: string,
  client: Client,
  options: Pick<KafkaBusOptions, 'profile' | 'exactlyOnce'> = {},
): KafkaBus {
  const bus = kafkaBus({
    brokers,
    client,
    clientId: `bench-${client}`,
    logLevel: 'nothing',
    ...options,
  });
  brokersByBus.set(bus, brokers);
  return bus;
}

/** Tributary: source → map → sink with commit-after-process, until the input's end. */
export async function tributary(
  bus: KafkaBus,
  input: string,
  output: string,
  n: number,
  options: BenchRunOptions = {},
): Promise<number> {
  const t0 = performance.now();
  const p = pipeline(bus.source({ topic: input, group: `bench-${randomUUID()}`, stopAtEnd: true }))
    .pipe((v) => mapValue(v as Uint8Array | null))
    .to(bus.sink({ topic: output }));
  const summary = await run(p, { logger: silentLogger, ...options }).done;
  const ms = performance.now() - t0;
  if (summary.recordsDone !== n)
    throw new Error(`tributary: ${summary.recordsDone} of ${n} records`);
  return ms;
}

/** The runtime options the benchmark varies. */
export type BenchRunOptions = Pick<
  RunOptions,
  'batchSize' | 'maxInFlight' | 'lingerMs' | 'commitIntervalMs'
>;

type RawConsumer = {
  connect(): Promise<void>;
  subscribe(s: { topics: string[]; fromBeginning?: boolean }): Promise<void>;
  run(c: {
    autoCommit?: boolean;
    partitionsConsumedConcurrently?: number;
    eachBatch(p: {
      batch: {
        topic: string;
        partition: number;
        messages: { key: Buffer | null; value: Buffer | null; offset: string }[];
      };
    }): Promise<void>;
  }): Promise<void>;
  commitOffsets(o: { topic: string; partition: number; offset: string }[]): Promise<void>;
  disconnect(): Promise<void>;
};
type RawProducer = {
  connect(): Promise<void>;
  send(r: {
    topic: string;
    messages: { key: Buffer | null; value: Buffer }[];
    acks?: number;
  }): Promise<unknown>;
  disconnect(): Promise<void>;
};

/** The client's own consume → map → produce loop, committing after each batch is produced. */
function rawClients(
  client: RawClient,
  brokers: string,
  group: string,
): { consumer: RawConsumer; producer: RawProducer } {
  if (client === 'kafkajs') {
    const kafka = new Kafka({ brokers: [brokers], clientId: 'raw', logLevel: logLevel.NOTHING });
    return {
      consumer: kafka.consumer({ groupId: group, maxWaitTimeInMs: 500 }) as unknown as RawConsumer,
      producer: kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        idempotent: true,
        maxInFlightRequests: 1,
      }) as unknown as RawProducer,
    };
  }
  const require = createRequire(import.meta.url);
  const { KafkaJS } = require('@confluentinc/kafka-javascript') as {
    KafkaJS: {
      Kafka: new (
        c: object,
      ) => { consumer(c: object): RawConsumer; producer(c: object): RawProducer };
    };
  };
  const kafka = new KafkaJS.Kafka({});
  return {
    consumer: kafka.consumer({
      'bootstrap.servers': brokers,
      'group.id': group,
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
      'js.consumer.max.batch.size': 500,
      'fetch.wait.max.ms': 100,
    }),
    producer: kafka.producer({
      'bootstrap.servers': brokers,
      'enable.idempotence': true,
      acks: -1,
      'linger.ms': 5,
      partitioner: 'murmur2_random',
    }),
  };
}

/** Starts the client's own consume → map → produce loop, committing after each batch. */
async function startRawLoop(
  client: RawClient,
  brokers: string,
  input: string,
  output: string,
  onBatch: (records: number) => void,
): Promise<() => Promise<void>> {
  const { consumer, producer } = rawClients(client, brokers, `raw-${randomUUID()}`);
  await producer.connect();
  await consumer.connect();
  // kafkajs takes these per subscribe/run/send; the Confluent client in its configs.
  const kafkajs = client === 'kafkajs';
  await consumer.subscribe({ topics: [input], ...(kafkajs ? { fromBeginning: true } : {}) });
  await consumer.run({
    ...(kafkajs ? { autoCommit: false } : {}),
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({ batch }) => {
      const messages = batch.messages.map((m) => ({ key: m.key, value: mapValue(m.value) }));
      if (messages.length === 0) return;
      await producer.send({ topic: output, messages, ...(kafkajs ? { acks: -1 } : {}) });
      const last = batch.messages[batch.messages.length - 1] as { offset: string };
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: String(Number(last.offset) + 1) },
      ]);
      onBatch(messages.length);
    },
  });
  return async () => {
    await consumer.disconnect();
    await producer.disconnect();
  };
}

/** The raw loop over the whole input; resolves with the time taken. */
export async function raw(
  client: RawClient,
  brokers: string,
  input: string,
  output: string,
  n: number,
): Promise<number> {
  let done = 0;
  let finish = () => {};
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  const t0 = performance.now();
  const stop = await startRawLoop(client, brokers, input, output, (records) => {
    done += records;
    if (done >= n) finish();
  });
  await finished;
  const ms = performance.now() - t0;
  await stop();
  return ms;
}

/** kcat consuming in a group (auto-commit) piped into kcat producing: librdkafka's pass-through floor. */
export async function kcat(brokers: string, input: string, output: string): Promise<number> {
  const t0 = performance.now();
  await sh('bash', [
    '-c',
    `set -o pipefail; kcat -b ${brokers} -G kcat-${randomUUID()} -o beginning -e -q -K '\\t' -f '%k\\t%s\\n' ${input} | kcat -b ${brokers} -P -t ${output} -K '\\t' -X acks=all`,
  ]);
  return performance.now() - t0;
}

/**
 * End-to-end latency at a fixed rate: records carry their send time; a witness consumer
 * of the output computes receive time − send time. Returns [p50, p99] in ms.
 */
export async function latency(
  brokers: string,
  start: (input: string, output: string) => Promise<() => Promise<void>>,
  rate: number,
  seconds: number,
): Promise<[number, number]> {
  const id = randomUUID().slice(0, 8);
  const input = `lat-${id}-in`;
  const output = `lat-${id}-out`;
  const kafka = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: input, numPartitions: 4 },
      { topic: output, numPartitions: 4 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const stop = await start(input, output);
  const samples: number[] = [];
  const witness = kafka.consumer({ groupId: `witness-${id}`, maxWaitTimeInMs: 10 });
  await witness.connect();
  await witness.subscribe({ topics: [output], fromBeginning: true });
  await witness.run({
    eachMessage: async ({ message }) => {
      const t = (JSON.parse((message.value as Buffer).toString()) as { t: number }).t;
      samples.push(Date.now() - t);
    },
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await sleep(3000); // let both groups settle
  const total = rate * seconds;
  const perTick = rate / 100; // every 10 ms
  const t0 = Date.now();
  for (let i = 0; i < total; i += perTick) {
    const due = t0 + (i / rate) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const now = Date.now();
    await producer.send({
      topic: input,
      messages: Array.from({ length: perTick }, (_, j) => ({
        key: `k${(i + j) % 1000}`,
        value: makeValue(i + j, now),
      })),
    });
  }
  const until = Date.now() + 30_000;
  while (samples.length < total && Date.now() < until) await sleep(100);
  await producer.disconnect();
  await witness.disconnect();
  await stop();
  if (samples.length < total)
    throw new Error(`latency: ${samples.length} of ${total} records arrived`);
  samples.sort((a, b) => a - b);
  const q = (p: number) =>
    samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] as number;
  return [q(0.5), q(0.99)];
}

/** Starts a long-running Tributary pipeline for the latency run. */
export function tributaryLatency(bus: KafkaBus, options: BenchRunOptions = {}) {
  return async (input: string, output: string) => {
    const p = pipeline(bus.source({ topic: input, group: `lat-${randomUUID()}` }))
      .pipe((v) => mapValue(v as Uint8Array | null))
      .to(bus.sink({ topic: output }));
    const handle = run(p, { logger: silentLogger, ...options });
    return async () => {
      await handle.stop();
    };
  };
}

/** Starts the client's raw loop for the latency run. */
export function rawLatency(client: RawClient, brokers: string) {
  return (input: string, output: string) => startRawLoop(client, brokers, input, output, () => {});
}
