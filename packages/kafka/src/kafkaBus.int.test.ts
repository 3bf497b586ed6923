import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  DeadLetterHeaders,
  deadLetter,
  type OutRecord,
  partitionFor,
  pipeline,
  run,
  silentLogger,
  TributaryError,
} from '@tributary/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clients, withConfluent } from '../test/clients.js';
import {
  broker,
  collector,
  committedCollector,
  eventually,
  json,
  killWorker,
  names,
  sleep,
  spawnWorker,
  stopWorker,
} from '../test/helpers.js';
import { deadLetterTopic } from './deadLetterTopic.js';
import { type KafkaBus, kafkaBus } from './kafkaBus.js';
import { kafkaStateStore } from './kafkaStateStore.js';

const brokers = inject('kafkaBrokers');

interface Item {
  id: number;
  key: string;
  seq: number;
}

/** `count` JSON records keyed over `keys` keys, with a per-key sequence number. */
function items(from: number, count: number, keys = 12): OutRecord<string>[] {
  return Array.from({ length: count }, (_, i) => {
    const id = from + i;
    const key = `k${id % keys}`;
    const value: Item = { id, key, seq: Math.floor(id / keys) };
    return {
      key,
      value: JSON.stringify(value),
      headers: { 'x-id': String(id) },
      timestamp: Date.now(),
    };
  });
}

async function produce(bus: KafkaBus, topic: string, records: OutRecord<string>[]): Promise<void> {
  const sink = bus.sink<string>({ topic });
  await sink.open?.();
  for (let i = 0; i < records.length; i += 500) await sink.write(records.slice(i, i + 500));
}

/** Produces `total` records in `waves`, calling `between(w)` after wave w. */
async function produceInWaves(
  bus: KafkaBus,
  topic: string,
  total: number,
  waves: number,
  between: (wave: number) => Promise<void>,
): Promise<void> {
  const size = total / waves;
  for (let w = 0; w < waves; w++) {
    await produce(bus, topic, items(w * size, size));
    await between(w);
  }
}

describe.each(clients)('kafkaBus on a real broker (%s)', (client) => {
  let bus: KafkaBus;
  const children: ChildProcess[] = [];
  const worker = async (config: Record<string, unknown>) => {
    const child = await spawnWorker({ brokers, client, ...config });
    children.push(child);
    return child;
  };

  beforeAll(() => {
    bus = kafkaBus({ brokers, client, clientId: `test-${client}`, logLevel: 'nothing' });
  });
  afterAll(async () => {
    await Promise.all(children.map(killWorker));
    // Leave the broker as it was: every topic of this client's tests goes.
    const mine = (await bus.admin.listTopics()).filter((t) => t.includes(`-${client}-`));
    if (mine.length > 0) await bus.admin.deleteTopics(mine);
    await bus.close();
  });

  it('round trip: every keyed record arrives once, in order per key and partition', async () => {
    const n = names(`rt-${client}`);
    await bus.admin.ensureTopics([
      { topic: n.input, partitions: 6 },
      { topic: n.output, partitions: 6 },
    ]);
    await produce(bus, n.input, items(0, 3000));
    const p = pipeline(bus.source({ topic: n.input, group: n.group, stopAtEnd: true }))
      .pipe((v) => {
        const item = JSON.parse(Buffer.from(v as Uint8Array).toString('utf8')) as Item;
        return JSON.stringify({ ...item, doubled: item.id * 2 });
      })
      .to(bus.sink({ topic: n.output }));
    const summary = await run(p, { logger: silentLogger }).done;
    expect(summary.recordsDone).toBe(3000);

    const out = await collector(brokers, n.output);
    await eventually('3000 outputs', () => out.records.length >= 3000);
    await sleep(300);
    await out.stop();
    const values = json<Item & { doubled: number }>(out.records);
    expect(values).toHaveLength(3000);
    expect(new Set(values.map((v) => v.id)).size).toBe(3000);
    // Same key, same partition count: murmur2 puts a key on the same partition both sides.
    const input = await collector(brokers, n.input);
    await eventually('3000 inputs', () => input.records.length >= 3000);
    await input.stop();
    const inPartition = new Map(input.records.map((r) => [r.key, r.partition]));
    const lastSeq = new Map<string, number>();
    for (const r of out.records) {
      const v = JSON.parse((r.value as Buffer).toString()) as Item;
      expect(r.partition).toBe(inPartition.get(r.key));
      expect(r.headers['x-id']).toBe(String(v.id));
      expect(v.seq).toBeGreaterThan(lastSeq.get(v.key) ?? -1);
      lastSeq.set(v.key, v.seq);
    }
    expect(await bus.admin.committed(n.group, n.input)).toHaveLength(6);
  });

  it('reports consumer lag from the fetched high watermark until the records are committed', async () => {
    const n = names(`lag-${client}`);
    await bus.admin.ensureTopics([{ topic: n.input, partitions: 2 }]);
    const records = items(0, 300);
    await produce(bus, n.input, records);
    const ends = [0, 1].map(
      (p) => records.filter((r) => partitionFor(r.key as string, 2) === p).length,
    );
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const out: unknown[] = [];
    const handle = run(
      pipeline(bus.source({ topic: n.input, group: n.group }))
        .pipe(async (v) => {
          await gate;
          return v;
        })
        .to({ name: 'mem', write: async (batch) => void out.push(...batch) }),
      { logger: silentLogger, commitIntervalMs: 100 },
    );
    // Held in the stage: nothing committed, so the lag is the whole partition.
    await eventually('lag of both partitions', () => handle.metrics().lag.length === 2);
    expect(handle.metrics().lag).toEqual([
      { topic: n.input, partition: 0, endOffset: ends[0], lag: ends[0] },
      { topic: n.input, partition: 1, endOffset: ends[1], lag: ends[1] },
    ]);
    open();
    await eventually('all committed', () => {
      const committed = handle.metrics().committed;
      return committed.length === 2 && committed.every((c) => c.offset === ends[c.partition]);
    });
    expect(handle.metrics().lag.map((l) => l.lag)).toEqual([0, 0]);
    await handle.stop();
    expect(out).toHaveLength(300);
  });

  it('starts from a timestamp or the end; admin reads and resets committed offsets', async () => {
    const n = names(`from-${client}`);
    await bus.admin.ensureTopics([{ topic: n.input, partitions: 2 }]);
    const base = Date.now() - 100_000;
    const records = items(0, 20).map((r, i) => ({ ...r, timestamp: base + i * 1000 }));
    await produce(bus, n.input, records);
    const read = async (group: string, from: 'earliest' | 'latest' | { timestamp: number }) => {
      const seen: number[] = [];
      const p = pipeline(bus.source({ topic: n.input, group, from, stopAtEnd: true })).to({
        name: 'ids',
        write: async (out) => {
          for (const r of out)
            seen.push((JSON.parse(Buffer.from(r.value as Uint8Array).toString()) as Item).id);
        },
      });
      await run(p, { logger: silentLogger }).done;
      return seen.sort((a, b) => a - b);
    };
    expect(await read(`${n.group}-ts`, { timestamp: base + 15_000 })).toEqual([15, 16, 17, 18, 19]);
    expect(await read(`${n.group}-latest`, 'latest')).toEqual([]);
    expect(await read(n.group, 'earliest')).toHaveLength(20);
    const committed = await bus.admin.committed(n.group, n.input);
    expect(committed.reduce((sum, o) => sum + o.offset, 0)).toBe(20);
    // End offsets match the committed positions of a group that read everything: no lag.
    expect(await bus.admin.offsets(n.input, 'latest')).toEqual(committed);
    expect((await bus.admin.offsets(n.input, 'earliest')).map((o) => o.offset)).toEqual([0, 0]);
    const fromTs = await bus.admin.offsets(n.input, { timestamp: base + 15_000 });
    expect(fromTs.reduce((sum, o) => sum + o.offset, 0)).toBe(15);
    expect(await bus.admin.partitions(n.input)).toBe(2);
    await expect(bus.admin.partitions(`${n.input}-missing`)).rejects.toMatchObject({
      code: 'TOPIC_NOT_FOUND',
    });

    // Replay: back to the start, and the same group reads everything again.
    await bus.admin.resetOffsets(n.group, n.input, 'earliest');
    expect((await bus.admin.committed(n.group, n.input)).map((o) => o.offset)).toEqual([0, 0]);
    expect(await read(n.group, 'earliest')).toHaveLength(20);
    await bus.admin.deleteTopics([n.input]);
  });

  it('a handler held longer than the session timeout keeps its partitions (heartbeats)', async () => {
    const n = names(`slow-${client}`);
    await bus.admin.ensureTopics([{ topic: n.input }]);
    await produce(bus, n.input, items(0, 3));
    const member = kafkaBus({
      brokers,
      client,
      logLevel: 'nothing',
      consumer: { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500, maxPollIntervalMs: 30_000 },
    });
    const events: string[] = [];
    const p = pipeline(member.source({ topic: n.input, group: n.group, stopAtEnd: true }))
      .pipe(async (v) => {
        await sleep(7000 / 3); // 7 s in all: past the 6 s session timeout
        return v;
      })
      .to({ name: 'none', write: async () => {} });
    // maxInFlight 1: deliver() holds the client's batch handler while the stage sleeps.
    const summary = await run(p, {
      logger: silentLogger,
      maxInFlight: 1,
      onEvent: (e) => events.push(e.type),
    }).done;
    await member.close();
    expect(summary.recordsDone).toBe(3);
    expect(events.filter((e) => e === 'revoked')).toEqual([]);
    expect(events.filter((e) => e === 'assigned')).toHaveLength(1);
  });

  it('scale-out: three worker processes join and leave mid-stream, none lost', async () => {
    const n = names(`scale-${client}`);
    await bus.admin.ensureTopics([
      { topic: n.input, partitions: 6 },
      { topic: n.output, partitions: 6 },
    ]);
    const out = await collector(brokers, n.output);
    const base = { group: n.group, input: n.input, output: n.output, delayMs: 1 };
    const w1 = await worker({ ...base, name: 'w1' });
    let w2: ChildProcess | undefined;
    let w3: ChildProcess | undefined;
    await produceInWaves(bus, n.input, 3000, 4, async (wave) => {
      if (wave === 0)
        [w2, w3] = await Promise.all([
          worker({ ...base, name: 'w2' }),
          worker({ ...base, name: 'w3' }),
        ]);
      if (wave === 2 && w2 !== undefined) await stopWorker(w2);
      await sleep(500);
    });
    await eventually(
      'every input in the output',
      () => new Set(json<Item>(out.records).map((v) => v.id)).size === 3000,
      90_000,
    );
    await Promise.all([stopWorker(w1), ...(w3 === undefined ? [] : [stopWorker(w3)])]);
    await out.stop();
    const values = json<Item & { worker: string }>(out.records);
    expect(new Set(values.map((v) => v.id)).size).toBe(3000);
    // The work was shared: more than one worker wrote output.
    expect(new Set(values.map((v) => v.worker)).size).toBeGreaterThan(1);
  });

  it('crash: kill -9 a worker mid-stream and restart it, none lost', async () => {
    const n = names(`crash-${client}`);
    await bus.admin.ensureTopics([
      { topic: n.input, partitions: 6 },
      { topic: n.output, partitions: 6 },
    ]);
    const out = await collector(brokers, n.output);
    const base = { group: n.group, input: n.input, output: n.output, delayMs: 2 };
    let w1 = await worker({ ...base, name: 'w1' });
    const w2 = await worker({ ...base, name: 'w2' });
    await produceInWaves(bus, n.input, 3000, 3, async (wave) => {
      if (wave === 0) {
        await eventually('some output', () => out.records.length > 200);
        await killWorker(w1);
      }
      if (wave === 1) w1 = await worker({ ...base, name: 'w1' });
    });
    await eventually(
      'every input in the output',
      () => new Set(json<Item>(out.records).map((v) => v.id)).size === 3000,
      90_000,
    );
    await Promise.all([stopWorker(w1), stopWorker(w2)]);
    await out.stop();
    expect(new Set(json<Item>(out.records).map((v) => v.id)).size).toBe(3000);
  });

  // Its read_committed witness is the Confluent client, so this needs it on kafkajs too.
  it.runIf(withConfluent)(
    'exactly-once: kill -9 mid-stream, a read_committed reader sees each record exactly once',
    async () => {
      const n = names(`eos-${client}`);
      await bus.admin.ensureTopics([
        { topic: n.input, partitions: 6 },
        { topic: n.output, partitions: 6 },
      ]);
      // librdkafka as the read_committed witness: the killed worker's transaction is aborted,
      // and kafkajs' reader can let a record of an aborted transaction through.
      const out = await committedCollector(brokers, n.output);
      const base = {
        group: n.group,
        input: n.input,
        output: n.output,
        delayMs: 2,
        exactlyOnce: true,
      };
      let w1 = await worker({ ...base, name: 'w1' });
      const w2 = await worker({ ...base, name: 'w2' });
      await produceInWaves(bus, n.input, 2000, 2, async (wave) => {
        if (wave === 0) {
          await eventually('some committed output', () => out.records.length > 100);
          await killWorker(w1);
          w1 = await worker({ ...base, name: 'w1' });
        }
      });
      await eventually(
        'every input in the output',
        () => new Set(json<Item>(out.records).map((v) => v.id)).size === 2000,
        90_000,
      );
      await sleep(1500);
      await Promise.all([stopWorker(w1), stopWorker(w2)]);
      await out.stop();
      const values = json<Item & { worker: string; at: string }>(out.records);
      expect(new Set(values.map((v) => v.id)).size).toBe(2000);
      // On failure, say who wrote each duplicate and from which input position.
      const writers = new Map<number, string[]>();
      for (const v of values)
        writers.set(v.id, [...(writers.get(v.id) ?? []), `${v.worker}@${v.at}`]);
      const duplicates = [...writers].filter(([, w]) => w.length > 1).slice(0, 20);
      expect(duplicates).toEqual([]);
    },
  );

  it('poison records go to the dead-letter topic with the reason; the pipeline goes on', async () => {
    const n = names(`dlq-${client}`);
    await bus.admin.ensureTopics([{ topic: n.input, partitions: 2 }, { topic: n.output }]);
    const good = items(0, 40);
    const big = Buffer.alloc(1_000_000, 'x');
    const poison: OutRecord<string | Uint8Array>[] = [
      { key: 'p1', value: '{not json', headers: {}, timestamp: Date.now() },
      {
        key: 'p2',
        value: JSON.stringify({ id: 'x', key: 'p2', seq: 0 }),
        headers: {},
        timestamp: Date.now(),
      },
      { key: 'p3', value: new Uint8Array(0), headers: {}, timestamp: Date.now() },
      { key: 'p4', value: big, headers: {}, timestamp: Date.now() },
    ];
    const seed = bus.sink<string | Uint8Array>({ topic: n.input });
    await seed.open?.();
    await seed.write([...good.slice(0, 20), ...poison, ...good.slice(20)]);

    const validate = (v: unknown): Item => {
      // Clients differ on a zero-length value: empty bytes or null.
      const bytes = Buffer.from((v as Uint8Array | null) ?? new Uint8Array(0));
      if (bytes.length === 0)
        throw new TributaryError('INVALID_RECORD', 'empty value', { details: { reason: 'empty' } });
      if (bytes.length > 64 * 1024) {
        throw new TributaryError('INVALID_RECORD', 'value too large', {
          details: { reason: 'too large', bytes: bytes.length },
        });
      }
      let parsed: Item;
      try {
        parsed = JSON.parse(bytes.toString('utf8')) as Item;
      } catch {
        throw new TributaryError('INVALID_RECORD', 'not JSON', { details: { reason: 'not json' } });
      }
      if (typeof parsed.id !== 'number') {
        throw new TributaryError('INVALID_RECORD', 'id must be a number', {
          details: { reason: 'wrong type', field: 'id' },
        });
      }
      return parsed;
    };
    const p = pipeline(bus.source({ topic: n.input, group: n.group, stopAtEnd: true }))
      .pipe(validate, { onError: deadLetter(deadLetterTopic(bus, n.dlq)) })
      .pipe((item) => JSON.stringify(item))
      .to(bus.sink({ topic: n.output }));
    const summary = await run(p, { logger: silentLogger }).done;
    expect(summary.deadLettered).toBe(4);

    const dead = await collector(brokers, n.dlq);
    const ok = await collector(brokers, n.output);
    await eventually(
      'dead letters and outputs',
      () => dead.records.length >= 4 && ok.records.length >= 40,
    );
    await Promise.all([dead.stop(), ok.stop()]);
    expect(ok.records).toHaveLength(40);
    const byKey = new Map(dead.records.map((r) => [r.key, r]));
    expect([...byKey.keys()].sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    const reason = (key: string) =>
      JSON.parse(byKey.get(key)?.headers[DeadLetterHeaders.details] ?? '{}').reason as string;
    expect(reason('p1')).toBe('not json');
    expect(reason('p2')).toBe('wrong type');
    expect(reason('p3')).toBe('empty');
    expect(reason('p4')).toBe('too large');
    // The original bytes travel unchanged.
    expect(byKey.get('p4')?.value?.length).toBe(1_000_000);
    expect(byKey.get('p1')?.value?.toString()).toBe('{not json');
    expect(byKey.get('p3')?.headers[DeadLetterHeaders.code]).toBe('INVALID_RECORD');
  });

  it('a delivery failure is a typed error that goes through the error policy', async () => {
    const n = names(`big-${client}`);
    await bus.admin.ensureTopics([{ topic: n.input }, { topic: n.output }]);
    await produce(bus, n.input, items(0, 3));
    const p = pipeline(bus.source({ topic: n.input, group: n.group, stopAtEnd: true }))
      // The second record becomes 5 MB: over the producer's and the broker's limits.
      .pipe((v) =>
        JSON.parse(Buffer.from(v as Uint8Array).toString()).id === 1 ? 'x'.repeat(5_000_000) : v,
      )
      .to(bus.sink({ topic: n.output }));
    const summary = await run(p, {
      logger: silentLogger,
      onError: deadLetter(deadLetterTopic(bus, n.dlq)),
      sinkRetry: { retries: 0 },
    }).done;
    // The record's whole sink batch fails (nothing of it is written), so its batch-mates
    // may be dead-lettered with it; none is lost.
    expect(summary.deadLettered).toBeGreaterThanOrEqual(1);
    const dead = await collector(brokers, n.dlq);
    const ok = await collector(brokers, n.output);
    await eventually(
      'every record written or dead-lettered',
      () => dead.records.length + ok.records.length >= 3,
    );
    await Promise.all([dead.stop(), ok.stop()]);
    expect(dead.records).toHaveLength(summary.deadLettered);
    for (const r of dead.records)
      expect(r.headers[DeadLetterHeaders.code]).toBe('KAFKA_RECORD_TOO_LARGE');
    const deadIds = json<Item>(dead.records).map((v) => v.id);
    expect(deadIds).toContain(1);
    expect([...deadIds, ...json<Item>(ok.records).map((v) => v.id)].sort()).toEqual([0, 1, 2]);
  });

  it('keyed state moves with its partition: a new member restores it from the changelog', async () => {
    const n = names(`state-${client}`);
    await bus.admin.ensureTopics([
      { topic: n.input, partitions: 3 },
      { topic: n.output, partitions: 3 },
    ]);
    const counting = (member: KafkaBus) =>
      pipeline(member.source({ topic: n.input, group: n.group, stopAtEnd: true }))
        .pipe((v, ctx) => {
          const item = JSON.parse(Buffer.from(v as Uint8Array).toString('utf8')) as Item;
          const count = (ctx.state.get<number>() ?? 0) + 1;
          ctx.state.set(count);
          return JSON.stringify({ key: item.key, count });
        })
        .to(member.sink({ topic: n.output }));
    const runMember = async () => {
      const member = kafkaBus({ brokers, client, logLevel: 'nothing' });
      const state = kafkaStateStore(member, { topic: n.state });
      await run(counting(member), { logger: silentLogger, state }).done;
      await member.close();
    };
    await produce(bus, n.input, items(0, 240, 6));
    await runMember();
    await produce(bus, n.input, items(240, 240, 6));
    await runMember();

    const out = await collector(brokers, n.output);
    await eventually('480 outputs', () => out.records.length >= 480);
    await out.stop();
    const finalCount = new Map<string, number>();
    for (const v of json<{ key: string; count: number }>(out.records)) {
      finalCount.set(v.key, Math.max(finalCount.get(v.key) ?? 0, v.count));
    }
    expect(finalCount.size).toBe(6);
    for (const count of finalCount.values()) expect(count).toBe(80);
    expect((await bus.admin.listTopics()).includes(n.state)).toBe(true);
  });

  it('a changelog flush larger than a record batch is written whole and restored', async () => {
    const n = names(`bigstate-${client}`);
    await bus.admin.ensureTopics([
      { topic: n.input, partitions: 2 },
      { topic: n.output, partitions: 2 },
    ]);
    // 1,200 keys of 2 kB each change in one commit: about 2.5 MB for one flush, over Kafka's
    // default 1 MB per batch (kafkajs sent it as one batch per partition, which the broker refused).
    const pad = 'x'.repeat(2_000);
    const records = items(0, 1_200, 1_200);
    const padded = (member: KafkaBus) =>
      pipeline(member.source({ topic: n.input, group: n.group, stopAtEnd: true }))
        .pipe((v, ctx) => {
          const item = JSON.parse(Buffer.from(v as Uint8Array).toString('utf8')) as Item;
          const seen = ctx.state.get<{ pad: string; count: number }>();
          ctx.state.set({ pad, count: (seen?.count ?? 0) + 1 });
          return JSON.stringify({
            key: item.key,
            count: (seen?.count ?? 0) + 1,
            had: seen?.pad.length,
          });
        })
        .to(member.sink({ topic: n.output }));
    const runMember = async () => {
      const member = kafkaBus({ brokers, client, logLevel: 'nothing' });
      const state = kafkaStateStore(member, { topic: n.state });
      const summary = await run(padded(member), {
        logger: silentLogger,
        state,
        commitIntervalMs: 60_000,
      }).done;
      await member.close();
      return summary;
    };
    await produce(bus, n.input, records);
    expect((await runMember()).recordsDone).toBe(1_200);
    const committed = await bus.admin.committed(n.group, n.input);
    expect(committed.reduce((sum, o) => sum + o.offset, 0)).toBe(1_200);
    await produce(bus, n.input, records);
    expect((await runMember()).recordsDone).toBe(1_200);

    const out = await collector(brokers, n.output);
    await eventually('2,400 outputs', () => out.records.length >= 2_400);
    await out.stop();
    const second = json<{ key: string; count: number; had?: number }>(out.records).filter(
      (v) => v.count === 2,
    );
    // Every key of the second run found its state of the first, read back from the changelog.
    expect(new Set(second.map((v) => v.key)).size).toBe(1_200);
    for (const v of second) expect(v.had).toBe(2_000);
  });

  it('SASL: the right credentials work, wrong ones fail fast with KAFKA_AUTH_FAILED', async () => {
    const saslBrokers = inject('kafkaSaslBrokers');
    const n = names(`sasl-${client}`);
    const good = kafkaBus({
      brokers: saslBrokers,
      client,
      logLevel: 'nothing',
      sasl: { mechanism: 'scram-sha-256', username: 'tributary', password: 'tributary-secret' },
    });
    await good.admin.ensureTopics([{ topic: n.input }]);
    await produce(good, n.input, items(0, 10));
    const seen: unknown[] = [];
    const p = pipeline(good.source({ topic: n.input, group: n.group, stopAtEnd: true })).to({
      name: 'memory',
      write: async (records) => void seen.push(...records),
    });
    await run(p, { logger: silentLogger }).done;
    expect(seen).toHaveLength(10);
    await good.close();

    const bad = kafkaBus({
      brokers: saslBrokers,
      client,
      logLevel: 'nothing',
      connectionTimeoutMs: 5000,
      sasl: { mechanism: 'scram-sha-256', username: 'tributary', password: 'wrong' },
    });
    // Failing fast means the client gave up on the authentication error itself: a client
    // that retried until its timeout would report KAFKA_CONNECTION_FAILED instead.
    const error = await bad.admin.listTopics().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as TributaryError).code).toBe('KAFKA_AUTH_FAILED');
    await bad.close();
  });

  // The local broker's SSL listener has a certificate from a CA made on its first start.
  it.runIf(inject('kafkaManaged'))(
    'TLS: with the CA a round trip works; without it the bus fails fast with a TLS error',
    async () => {
      const sslBrokers = inject('kafkaSslBrokers');
      const ca = readFileSync(inject('kafkaCaPath'), 'utf8');
      const n = names(`tls-${client}`);
      const secure = kafkaBus({ brokers: sslBrokers, client, logLevel: 'nothing', ssl: { ca } });
      await secure.admin.ensureTopics([{ topic: n.input }, { topic: n.output }]);
      await produce(secure, n.input, items(0, 20));
      const p = pipeline(secure.source({ topic: n.input, group: n.group, stopAtEnd: true }))
        .pipe((v) => `tls:${Buffer.from(v as Uint8Array).toString('utf8')}`)
        .to(secure.sink({ topic: n.output }));
      expect((await run(p, { logger: silentLogger }).done).recordsDone).toBe(20);
      const seen: string[] = [];
      const check = pipeline(
        secure.source({ topic: n.output, group: `${n.group}-check`, stopAtEnd: true }),
      ).to({
        name: 'memory',
        write: async (records) => {
          for (const r of records) seen.push(Buffer.from(r.value as Uint8Array).toString('utf8'));
        },
      });
      await run(check, { logger: silentLogger }).done;
      expect(seen).toHaveLength(20);
      expect(seen.every((v) => v.startsWith('tls:{'))).toBe(true);
      expect(new Set(seen.map((v) => (JSON.parse(v.slice(4)) as Item).id)).size).toBe(20);
      await secure.close();

      // System CAs only: the broker's certificate is refused by the admin, the producer and
      // a consumer alike, as a connection failure that says why (no retrying until a timeout).
      const untrusted = kafkaBus({ brokers: sslBrokers, client, logLevel: 'nothing', ssl: true });
      const refused = {
        code: 'KAFKA_CONNECTION_FAILED',
        message: expect.stringMatching(/TLS: broker certificate not trusted/),
      };
      await expect(untrusted.admin.listTopics()).rejects.toMatchObject(refused);
      await expect(produce(untrusted, n.input, items(100, 1))).rejects.toMatchObject(refused);
      const blocked = pipeline(untrusted.source({ topic: n.input, group: `${n.group}-x` })).to({
        name: 'memory',
        write: async () => undefined,
      });
      await expect(run(blocked, { logger: silentLogger }).done).rejects.toMatchObject(refused);
      await untrusted.close();
    },
  );

  it.runIf(inject('kafkaManaged'))(
    'broker restart mid-stream: the pipeline waits and resumes, none lost',
    async () => {
      const n = names(`restart-${client}`);
      await bus.admin.ensureTopics([
        { topic: n.input, partitions: 3 },
        { topic: n.output, partitions: 3 },
      ]);
      const member = kafkaBus({ brokers, client, logLevel: 'nothing' });
      const p = pipeline(member.source({ topic: n.input, group: n.group }))
        .pipe((v) => v)
        .to(member.sink({ topic: n.output }));
      const handle = run(p, { logger: silentLogger, commitIntervalMs: 200 });
      await produce(bus, n.input, items(0, 500));
      const out = await collector(brokers, n.output);
      await eventually('first outputs', () => out.records.length >= 500);
      broker('stop');
      await sleep(1000);
      broker('start');
      await produce(bus, n.input, items(500, 500));
      await eventually(
        'every input in the output',
        () => new Set(json<Item>(out.records).map((v) => v.id)).size === 1000,
        90_000,
      );
      await handle.stop();
      await member.close();
      await out.stop();
      expect(new Set(json<Item>(out.records).map((v) => v.id)).size).toBe(1000);
    },
  );
});
