import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sleep } from '@tributary/core';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import { loadConfluent } from '../src/internal/confluentAdapter.js';
import { type KafkaBus, kafkaBus } from '../src/kafkaBus.js';
import type { Client } from './clients.js';

export { sleep };

/** Unique names per test, so runs never see each other's data. */
export function names(prefix: string) {
  const id = `${prefix}-${randomUUID().slice(0, 8)}`;
  return {
    id,
    input: `${id}-in`,
    output: `${id}-out`,
    group: `${id}-g`,
    dlq: `${id}-dlq`,
    state: `${id}-state`,
  };
}

/**
 * A bus for the tests of one suite: opened before them, closed after them (after the suite's
 * own afterAll hooks registered later, which run first). Call inside `describe`; the getter
 * returns the open bus.
 */
export function suiteBus(brokers: string, client: Client, clientId: string): () => KafkaBus {
  let bus: KafkaBus | undefined;
  beforeAll(() => {
    bus = kafkaBus({ brokers, client, clientId: `${clientId}-${client}`, logLevel: 'nothing' });
  });
  afterAll(async () => {
    await bus?.close();
  });
  return () => {
    if (bus === undefined) throw new Error('suiteBus: no bus outside the tests of its suite');
    return bus;
  };
}

/** Creates `topics` with `partitions` partitions each, so that a source of them is co-partitioned. */
export function copartitionedTopics(
  bus: KafkaBus,
  topics: readonly string[],
  partitions = 3,
): Promise<void> {
  return bus.admin.ensureTopics(topics.map((topic) => ({ topic, partitions })));
}

/** Writes JSON-encoded records to `topic` through the bus's sink, stamped now. */
export async function writeRecords(
  bus: KafkaBus,
  topic: string,
  records: readonly { key: string; value: unknown }[],
): Promise<void> {
  const sink = bus.sink({ topic });
  await sink.open?.();
  await sink.write(records.map((r) => ({ ...r, headers: {}, timestamp: Date.now() })));
}

/** Polls `test` until it holds, or fails after `timeoutMs` with `what`. */
export async function eventually(
  what: string,
  test: () => boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface Collected {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  partition: number;
  offset: number;
}

interface WitnessMessage {
  key: Buffer | null | undefined;
  value: Buffer | null | undefined;
  offset: string;
  headers?: Record<string, unknown>;
}

function collected(partition: number, message: WitnessMessage): Collected {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) {
    if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
  }
  return {
    key: message.key?.toString('utf8') ?? null,
    value: message.value ?? null,
    headers,
    partition,
    offset: Number(message.offset),
  };
}

/**
 * Reads a topic from the beginning with a plain kafkajs consumer (read_committed), into
 * `records`, until `stop()`: the independent witness of what a pipeline wrote. For topics
 * written in transactions that abort, use {@link committedCollector}: kafkajs 2.2.4 can let a
 * record of an aborted transaction through (see docs/kafka.md).
 */
export async function collector(brokers: string, topic: string) {
  const kafka = new Kafka({
    brokers: brokers.split(','),
    clientId: 'witness',
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `witness-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const records: Collected[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      records.push(collected(partition, message));
    },
  });
  return { records, stop: () => consumer.disconnect() };
}

/**
 * The witness for transactional output: a librdkafka consumer (the Confluent client) in
 * read_committed mode, whose aborted-transaction filtering follows the Java client's.
 * Loaded as the bus loads it, so it needs the optional client (see ./clients.ts).
 */
export async function committedCollector(brokers: string, topic: string) {
  const { KafkaJS } = await loadConfluent();
  // The compat layer's log level 0 is NOTHING.
  const kafka = new KafkaJS.Kafka({
    kafkaJS: { brokers: brokers.split(','), clientId: 'witness-rc', logLevel: 0 },
  });
  const consumer = kafka.consumer({
    kafkaJS: { groupId: `witness-${randomUUID()}`, fromBeginning: true },
    'isolation.level': 'read_committed',
  });
  const records: Collected[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) records.push(collected(batch.partition, message));
    },
  });
  return { records, stop: () => consumer.disconnect() };
}

/** Values of collected records parsed as JSON. */
export function json<T>(records: readonly Collected[]): T[] {
  return records.map((r) => JSON.parse((r.value as Buffer).toString('utf8')) as T);
}

const workerUrl = new URL('./worker.ts', import.meta.url);
const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
// tsx's loader in the worker's own Node process. The tsx CLI would run the worker as a child
// of its own process, and kill -9 would then kill only the CLI and leave the worker running.
const tsxLoader = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

/** Workers that exited on their own with an error (not by stopWorker or killWorker). */
const workerFailures: string[] = [];

/**
 * A worker child process; resolves once it runs its pipeline. `script`: another worker of
 * this folder (a file URL), e.g. the learner worker of the checkpoint test; default worker.ts.
 */
export async function spawnWorker(
  config: Record<string, unknown>,
  script: URL = workerUrl,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', tsxLoader, fileURLToPath(script)], {
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: tsconfig,
      TRIBUTARY_WORKER: JSON.stringify(config),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('started')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${err}`)));
  });
  child.once('exit', (code) => {
    if (code !== null && code !== 0) workerFailures.push(`exit ${code}: ${err.slice(-2000)}`);
  });
  return child;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM (graceful: drain, commit, leave) and wait for the exit. */
export function stopWorker(child: ChildProcess): Promise<void> {
  if (exited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** kill -9: no drain, no commit, no leave. */
export function killWorker(child: ChildProcess): Promise<void> {
  if (exited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const kafkaScript = fileURLToPath(new URL('../../../scripts/kafka/kafka', import.meta.url));

/** Stops or starts the local broker (scripts/kafka/kafka); a failure carries the script's output. */
export function broker(command: 'start' | 'stop'): void {
  try {
    execFileSync(kafkaScript, [command], { stdio: 'pipe', timeout: 120_000 });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    const output = `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`.trim();
    throw new Error(`scripts/kafka/kafka ${command} failed:\n${output}`, { cause: error });
  }
}
