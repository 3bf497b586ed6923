import { randomUUID } from 'node:crypto';
import { jsonSerde, type Logger, memoryBus, pipeline, run, silentLogger } from '@tributary/core';
import {
  type BinaryClassifier,
  logisticRegression,
  type ModelVersion,
  serveModel,
  sgd,
} from '@tributary/learn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clients } from '../test/clients.js';
import { eventually } from '../test/helpers.js';
import { type KafkaBus, kafkaBus } from './kafkaBus.js';
import { type KafkaModelStore, kafkaModelStore } from './kafkaModelStore.js';

const brokers = inject('kafkaBrokers');
const v = (...xs: number[]) => Float64Array.from(xs);

/** A logistic regression that leans to `true` (sign 1) or `false` (sign -1) for x = 1. */
function trained(sign: 1 | -1): BinaryClassifier {
  const m = logisticRegression({ optimizer: sgd(0.5) });
  for (let i = 0; i < 20; i++) m.learn(v(1, (i % 5) / 5), sign > 0);
  return m;
}

/** Polls an async condition until it holds (or fails after a minute). */
async function until(test: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met within a minute');
}

/** A logger that keeps error entries. */
function recordingLogger(): Logger & { errors: { message: string; fields: unknown }[] } {
  const errors: { message: string; fields: unknown }[] = [];
  return {
    ...silentLogger,
    error: (message, fields) => errors.push({ message, fields }),
    errors,
  };
}

describe.each(clients)('kafkaModelStore on a real broker (%s)', (client) => {
  // Each bus stands for a separate process (its own connections, consumer and producer).
  const buses: KafkaBus[] = [];
  const newBus = (options: { maxMessageBytes?: number } = {}) => {
    const bus = kafkaBus({
      brokers,
      client,
      clientId: `models-${client}-${buses.length}`,
      logLevel: 'nothing',
      ...(options.maxMessageBytes === undefined
        ? {}
        : { producer: { maxMessageBytes: options.maxMessageBytes } }),
    });
    buses.push(bus);
    return bus;
  };
  // Topic names carry the client name, so afterAll removes exactly this client's topics.
  const topicName = (what: string) => `models-${client}-${what}-${randomUUID().slice(0, 8)}`;
  let admin: KafkaBus;

  beforeAll(() => {
    admin = newBus();
  });
  afterAll(async () => {
    const mine = (await admin.admin.listTopics()).filter((t) => t.includes(`-${client}-`));
    if (mine.length > 0) await admin.admin.deleteTopics(mine);
    for (const bus of buses) await bus.close();
  });

  it('saves, loads and lists versions, numbered 1, 2, 3 in a topic with one model', async () => {
    const topic = topicName('rt');
    let clock = 100;
    const store = kafkaModelStore(newBus(), { topic, now: () => clock++ });
    expect(await store.load('fraud')).toBeUndefined();
    expect(await store.versions('fraud')).toEqual([]);

    const saved: ModelVersion[] = [];
    for (const sign of [1, -1, 1] as const) {
      saved.push(await store.save('fraud', trained(sign).snapshot(), { sign }));
    }
    expect(saved.map((s) => s.version)).toEqual([1, 2, 3]);
    expect(saved[0]).toMatchObject({ name: 'fraud', savedAt: 100, metadata: { sign: 1 } });
    // Read your writes: each save is in the store once it resolves.
    expect(await store.versions('fraud')).toEqual([1, 2, 3]);
    expect(await store.load('fraud')).toEqual(saved[2]);
    expect(await store.load('fraud', 2)).toEqual(saved[1]);
    expect(await store.load('fraud', 9)).toBeUndefined();

    // Created with one partition, so one log orders every save.
    expect(await admin.admin.partitions(topic)).toBe(1);
    await store.close();
  });

  it('numbers versions in save order across names and writers, with gaps per name', async () => {
    const topic = topicName('order');
    const a = kafkaModelStore(newBus(), { topic });
    const b = kafkaModelStore(newBus(), { topic });
    const versions: number[] = [];
    for (let i = 0; i < 3; i++) {
      versions.push((await a.save('m', trained(1).snapshot())).version);
      versions.push((await b.save('m', trained(-1).snapshot())).version);
      await a.save('other', trained(1).snapshot());
    }
    for (let i = 1; i < versions.length; i++) {
      expect(versions[i]).toBeGreaterThan(versions[i - 1] as number);
    }
    expect(versions).toEqual([1, 2, 4, 5, 7, 8]);
    // Both writers agree on every version, whoever saved it.
    expect(await a.versions('m')).toEqual(versions);
    expect(await b.versions('m')).toEqual(versions);
    await until(async () => (await b.versions('other')).length === 3);
    expect(await b.versions('other')).toEqual([3, 6, 9]);
    expect(await b.names()).toEqual(['m', 'other']);
    await Promise.all([a.close(), b.close()]);
  });

  it('another process sees existing versions on start and hears every new save', async () => {
    const topic = topicName('share');
    const trainer = kafkaModelStore(newBus(), { topic });
    const first = await trainer.save('fraud', trained(1).snapshot(), { run: 1 });

    const logger = recordingLogger();
    const server = kafkaModelStore(newBus(), { topic, logger });
    expect(await server.versions('fraud')).toEqual([first.version]);
    expect((await server.load('fraud'))?.metadata).toEqual({ run: 1 });

    const heard: number[] = [];
    server.subscribe('fraud', () => {
      throw new Error('a broken subscriber');
    });
    server.subscribe('fraud', (m) => heard.push(m.version));
    const ignored: number[] = [];
    server.subscribe('other', (m) => ignored.push(m.version));
    const second = await trainer.save('fraud', trained(-1).snapshot(), { run: 2 });
    const third = await trainer.save('fraud', trained(1).snapshot(), { run: 3 });
    await eventually('two versions heard', () => heard.length >= 2);
    expect(heard).toEqual([second.version, third.version]);
    expect(ignored).toEqual([]);
    // The throwing subscriber was logged each time, and did not stop the follower.
    expect(logger.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('subscriber failed'),
      expect.stringContaining('subscriber failed'),
    ]);
    expect(await server.versions('fraud')).toEqual([first.version, second.version, third.version]);
    await Promise.all([trainer.close(), server.close()]);
  });

  it('keeps the newest `keep` versions; a fresh reader no longer sees older ones', async () => {
    const topic = topicName('keep');
    const store = kafkaModelStore(newBus(), { topic, keep: 2 });
    const saved: number[] = [];
    for (let i = 0; i < 5; i++)
      saved.push((await store.save('m', trained(1).snapshot(), { i })).version);
    // Tombstones take offsets too: versions still increase, with gaps.
    expect(saved.slice(0, 3)).toEqual([1, 2, 3]);
    expect(saved[4]).toBeGreaterThan(saved[3] as number);
    expect(await store.versions('m')).toEqual(saved.slice(-2));
    expect(await store.load('m', 1)).toBeUndefined();

    // No `keep` of its own: it holds whatever the topic still has, and tombstones removed 1-3.
    const fresh = kafkaModelStore(newBus(), { topic });
    expect(await fresh.versions('m')).toEqual(saved.slice(-2));
    expect((await fresh.load('m'))?.metadata).toEqual({ i: 4 });
    await Promise.all([store.close(), fresh.close()]);
  });

  it('a learner snapshot survives the trip and predicts identically after restore', async () => {
    const topic = topicName('learner');
    const model = logisticRegression({ optimizer: sgd(0.1), l2: 0.001 });
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 500; i++) {
      const x = v(rand() * 2 - 1, rand() * 2 - 1, rand());
      model.learn(x, x[0]! + 0.5 * x[1]! > 0.1);
    }
    const writer = kafkaModelStore(newBus(), { topic });
    await writer.save('scorer', model.snapshot());

    const reader = kafkaModelStore(newBus(), { topic });
    const loaded = await reader.load('scorer');
    expect(loaded?.snapshot).toEqual(model.snapshot());
    const restored = logisticRegression();
    restored.restore((loaded as ModelVersion).snapshot);
    for (let i = 0; i < 50; i++) {
      const x = v(rand() * 2 - 1, rand() * 2 - 1, rand());
      expect(restored.predictProba(x)).toBe(model.predictProba(x));
    }
    await Promise.all([writer.close(), reader.close()]);
  });

  it('serveModel on the memory bus swaps to a version another store saved', async () => {
    const topic = topicName('serve');
    const trainer = kafkaModelStore(newBus(), { topic });
    const first = await trainer.save('scorer', trained(1).snapshot());
    const serving: KafkaModelStore = kafkaModelStore(newBus(), { topic });

    const memory = memoryBus();
    const handle = run(
      pipeline(memory.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g' }))
        .pipe(
          serveModel({
            store: serving,
            model: 'scorer',
            learner: logisticRegression(),
            features: (x: number) => v(x, 0),
            predict: (m: BinaryClassifier, x) => m.predictProba(x),
            output: (x: number, p: number, version: number) => ({ x, p, version }),
          }),
        )
        .to(memory.sink({ topic: 'out' })),
      { logger: silentLogger, lingerMs: 1 },
    );
    const out = () => memory.records('out', jsonSerde<{ x: number; p: number; version: number }>());
    memory.produce('in', [{ value: 1 }, { value: 1 }]);
    await eventually('two outputs', () => out().length >= 2);

    const second = await trainer.save('scorer', trained(-1).snapshot());
    // The serving side swaps once its follower reads the save; records keep flowing meanwhile.
    await eventually('the new version served', () => {
      memory.produce('in', [{ value: 1 }]);
      return out().some((r) => r.value.version === second.version);
    });
    const summary = await handle.stop();
    const versions = out().map((r) => r.value.version);
    expect(summary.recordsDone).toBe(versions.length);
    expect(versions.slice(0, 2)).toEqual([first.version, first.version]);
    expect(versions.at(-1)).toBe(second.version);
    // Only ever the first then the second: no record saw anything else.
    expect(new Set(versions)).toEqual(new Set([first.version, second.version]));
    expect(out()[0]!.value.p).toBeGreaterThan(0.5);
    expect(out().at(-1)!.value.p).toBeLessThan(0.5);
    await Promise.all([trainer.close(), serving.close()]);
  });

  it('fails typed: a model over producer.maxMessageBytes, and any call after close', async () => {
    const topic = topicName('errors');
    const store = kafkaModelStore(newBus({ maxMessageBytes: 2000 }), { topic });
    const blob = 'x'.repeat(5000);
    await expect(store.save('big', trained(1).snapshot(), { blob })).rejects.toMatchObject({
      code: 'KAFKA_RECORD_TOO_LARGE',
      details: { topic, model: 'big', limit: 2000 },
    });
    expect(await store.versions('big')).toEqual([]);
    await store.save('small', trained(1).snapshot());
    await store.close();
    await expect(store.load('small')).rejects.toMatchObject({ code: 'KAFKA_MODEL_STORE_FAILED' });
    await expect(store.save('small', trained(1).snapshot())).rejects.toMatchObject({
      code: 'KAFKA_MODEL_STORE_FAILED',
    });
  });
});
