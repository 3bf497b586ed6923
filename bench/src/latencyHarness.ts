/**
 * The load side of the latency bench, in a process of its own: a producer that writes
 * timestamped records at a fixed rate and a witness consumer that reads them back. Apart from
 * the contender, as in a deployment where other services write and read, so the contender's
 * event loop (a batch being mapped, a GC) does not delay the producer's timestamps or the
 * witness's clock, and the harness's own JSON parsing is not charged to the contender.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sleep } from '@tributary/core';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { makeValue, sentAt } from './kafkaScenario.js';
import { connected, disconnected, nativeBinding } from './nativeBinding.js';

/** Starts a contender that reads `input` and writes `output`; resolves its stop function. */
export type LatencyContender = (input: string, output: string) => Promise<() => Promise<void>>;

/** No contender: with `read` 'input', the harness's own one-hop floor. */
export const noContender: LatencyContender = async () => async () => {};

/**
 * End-to-end latency at a fixed rate: records carry their send time; a witness consumer of
 * the output computes receive time − send time. With `read` 'input' the witness reads the
 * input itself: one broker hop. Returns [p50, p99] in ms.
 */
export async function latency(
  brokers: string,
  start: LatencyContender,
  rate: number,
  seconds: number,
  client: HarnessClient = 'kafkajs',
  read: 'input' | 'output' = 'output',
): Promise<[number, number]> {
  const id = randomUUID().slice(0, 8);
  const input = `lat-${id}-in`;
  const output = `lat-${id}-out`;
  const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
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
  try {
    return await latencyHarness({
      brokers,
      write: input,
      read: read === 'input' ? input : output,
      rate,
      seconds,
      client,
    });
  } finally {
    await stop();
  }
}

/** What the harness writes and reads. */
export interface LatencyHarnessOptions {
  readonly brokers: string;
  /** Topic the producer writes. */
  readonly write: string;
  /** Topic the witness reads (the contender's output, or `write` itself for one hop). */
  readonly read: string;
  readonly rate: number;
  readonly seconds: number;
  /** Client of the producer and the witness: KafkaJS, or librdkafka through the Confluent binding. */
  readonly client: HarnessClient;
}

/** Client the harness writes and reads with. */
export type HarnessClient = 'kafkajs' | 'native';

type HarnessReply = { ok: true; quantiles: [number, number] } | { ok: false; error: string };

const self = fileURLToPath(import.meta.url);

/**
 * Runs the harness in a child process (same loader as this one) and resolves [p50, p99] of
 * receive time − send time in ms.
 */
function latencyHarness(options: LatencyHarnessOptions): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const child = fork(self, [JSON.stringify(options)], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    let reply: HarnessReply | undefined;
    child.on('message', (m) => {
      reply = m as HarnessReply;
    });
    child.on('error', reject);
    // A harness that cannot connect would otherwise hold the bench forever.
    const limit = setTimeout(() => child.kill('SIGKILL'), (options.seconds + 120) * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      if (signal === 'SIGKILL') reject(new Error('latency harness: killed after its time limit'));
      else if (reply?.ok) resolve(reply.quantiles);
      else reject(new Error(`latency harness: ${reply?.error ?? `exited with code ${code}`}`));
    });
  });
}

/** The producer and witness of one client: connect, write a batch, close. */
interface HarnessEnds {
  send(topic: string, records: { key: string; value: string }[]): Promise<void>;
  close(): Promise<void>;
}

async function kafkajsEnds(o: LatencyHarnessOptions, onValue: (v: Buffer) => void) {
  const kafka = new Kafka({ brokers: [o.brokers], logLevel: logLevel.NOTHING });
  const witness = kafka.consumer({ groupId: `witness-${randomUUID()}`, maxWaitTimeInMs: 10 });
  await witness.connect();
  await witness.subscribe({ topics: [o.read], fromBeginning: true });
  await witness.run({ eachMessage: async ({ message }) => onValue(message.value as Buffer) });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return {
    send: async (topic, messages) => {
      await producer.send({ topic, messages });
    },
    close: async () => {
      await producer.disconnect();
      await witness.disconnect();
    },
  } satisfies HarnessEnds;
}

async function nativeEnds(o: LatencyHarnessOptions, onValue: (v: Buffer) => void) {
  const rd = nativeBinding();
  const witness = new rd.KafkaConsumer(
    {
      'bootstrap.servers': o.brokers,
      'group.id': `witness-${randomUUID()}`,
      'fetch.wait.max.ms': 10,
      'enable.auto.commit': false,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  witness.on('data', (m) => onValue(m.value));
  await connected(witness);
  witness.subscribe([o.read]);
  witness.consume();
  const producer = await connected(
    new rd.Producer({ 'bootstrap.servers': o.brokers, 'linger.ms': 0, acks: -1 }),
  );
  producer.setPollInterval(10);
  return {
    send: async (topic, messages) => {
      for (const m of messages) producer.produce(topic, null, Buffer.from(m.value), m.key);
    },
    close: async () => {
      await disconnected(producer);
      await disconnected(witness);
    },
  } satisfies HarnessEnds;
}

async function harness(o: LatencyHarnessOptions): Promise<[number, number]> {
  const samples: number[] = [];
  const onValue = (value: Buffer) => {
    samples.push(Date.now() - sentAt(value));
  };
  const ends = await (o.client === 'native' ? nativeEnds(o, onValue) : kafkajsEnds(o, onValue));
  await sleep(3000); // let both groups settle
  const total = o.rate * o.seconds;
  const perTick = o.rate / 100; // every 10 ms
  const t0 = Date.now();
  for (let i = 0; i < total; i += perTick) {
    const wait = t0 + (i / o.rate) * 1000 - Date.now();
    if (wait > 0) await sleep(wait);
    const now = Date.now();
    await ends.send(
      o.write,
      Array.from({ length: perTick }, (_, j) => ({
        key: `k${(i + j) % 1000}`,
        value: makeValue(i + j, now),
      })),
    );
  }
  const until = Date.now() + 30_000;
  while (samples.length < total && Date.now() < until) await sleep(100);
  await ends.close();
  if (samples.length < total) throw new Error(`${samples.length} of ${total} records arrived`);
  return quantiles(samples);
}

/** [p50, p99] of latency samples in ms (sorts them in place). */
export function quantiles(samples: number[]): [number, number] {
  samples.sort((a, b) => a - b);
  const q = (p: number) =>
    samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] as number;
  return [q(0.5), q(0.99)];
}

if (process.argv[1] === self && process.send !== undefined) {
  const send = (reply: HarnessReply) => process.send?.(reply, () => process.exit(0));
  harness(JSON.parse(process.argv[2] as string) as LatencyHarnessOptions).then(
    (quantiles) => send({ ok: true, quantiles }),
    (e: unknown) => send({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
}
