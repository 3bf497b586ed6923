import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pipeline, type RunOptions, run, type Sink, silentLogger } from '@tributary/core';
import { type KafkaBus, type KafkaBusOptions, kafkaBus } from '@tributary/kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { connected, disconnected, nativeBinding } from './nativeBinding.js';

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

/** The send time a record of {@link makeValue} carries, in ms since the epoch. */
export function sentAt(value: Uint8Array): number {
  return (JSON.parse(Buffer.from(value).toString('utf8')) as { t: number }).t;
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

/**
 * A Tributary pipeline that reads the latency run's input and only notes when each record
 * reached its first stage (receive time − send time, into `seen`), writing nothing: the
 * consumer hop alone, to set beside a witness reading the same topic at the same time.
 */
export function tributaryConsumerHop(
  bus: KafkaBus,
  options: BenchRunOptions,
  seen: number[],
): (input: string) => Promise<() => Promise<void>> {
  return async (input: string) => {
    const nothing: Sink<unknown> = { name: 'nothing', write: async () => {} };
    const p = pipeline(bus.source({ topic: input, group: `lat-${randomUUID()}` }))
      .pipe((v) => {
        seen.push(Date.now() - sentAt(v as Uint8Array));
        return v;
      })
      .to(nothing);
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

/**
 * A loop on librdkafka's own API (the Confluent binding's `KafkaConsumer` in flowing mode and
 * its `Producer`, linger 0): each record mapped and produced as it arrives, offsets
 * auto-committed, delivery never awaited. It does less than Tributary (no commit after
 * delivery), so its latency is the floor of a consume → produce hop on this client.
 */
export function nativeRawLatency(brokers: string) {
  return async (input: string, output: string) => {
    const rd = nativeBinding();
    const consumer = new rd.KafkaConsumer(
      { 'bootstrap.servers': brokers, 'group.id': `raw-${randomUUID()}`, 'fetch.wait.max.ms': 5 },
      { 'auto.offset.reset': 'earliest' },
    );
    const producer = await connected(
      new rd.Producer({ 'bootstrap.servers': brokers, 'linger.ms': 0, acks: -1 }),
    );
    producer.setPollInterval(10);
    await connected(consumer);
    consumer.on('data', (m) => producer.produce(output, null, mapValue(m.value), m.key));
    consumer.subscribe([input]);
    consumer.consume();
    return async () => {
      await disconnected(consumer);
      await disconnected(producer);
    };
  };
}
