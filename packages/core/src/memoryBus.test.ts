import { describe, expect, it, vi } from 'vitest';
import {
  isTributaryError,
  jsonSerde,
  memoryBus,
  type OutRecord,
  partitionFor,
  pipeline,
  type RunHandle,
  run,
  type Sink,
  silentLogger,
  stringSerde,
} from './index.js';

const collect = <V>() => {
  const written: OutRecord<V>[] = [];
  const sink: Sink<V> & { written: OutRecord<V>[] } = {
    name: 'collect',
    written,
    write: async (batch) => {
      written.push(...batch);
    },
  };
  return sink;
};

describe('memoryBus()', () => {
  it('stores values as bytes, as Kafka does: a source without a serde reads bytes', async () => {
    const bus = memoryBus();
    bus.produce('orders', [{ value: { id: 1, total: 10 } }, { value: 'text' }, { value: null }]);
    const seen: unknown[] = [];
    await run(
      pipeline(bus.source({ topic: 'orders', group: 'g', stopAtEnd: true }))
        .pipe((raw) => {
          seen.push(raw);
          return raw;
        })
        .to(collect()),
      { logger: silentLogger },
    ).done;
    expect(seen[0]).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(seen[0] as Uint8Array).toString('utf8')).toBe('{"id":1,"total":10}');
    expect(Buffer.from(seen[1] as Uint8Array).toString('utf8')).toBe('text');
    expect(seen[2]).toBeNull();
  });

  it('produces through a serde and reads records back through one', () => {
    const bus = memoryBus();
    const reversed = {
      serialize: (v: { n: number }) => Buffer.from(String(-v.n)),
      deserialize: (raw: Uint8Array | null) => ({ n: -Number(String(raw)) }),
    };
    bus.produce('t', [{ value: { n: 5 } }], { serde: reversed });
    expect(String(bus.records('t')[0]?.value)).toBe('-5');
    expect(bus.records('t', reversed)[0]?.value).toEqual({ n: 5 });
    expect(bus.records('t', jsonSerde<number>())[0]?.value).toBe(-5);
  });

  it('a sink without a serde writes what produce writes (one default encoding)', async () => {
    const bus = memoryBus();
    bus.produce('in', [{ value: { a: 1 } }]);
    await run(
      pipeline(
        bus.source({ topic: 'in', group: 'g', serde: jsonSerde<{ a: number }>(), stopAtEnd: true }),
      ).to(bus.sink({ topic: 'plain' })),
      { logger: silentLogger },
    ).done;
    expect(bus.records('plain')[0]?.value).toEqual(bus.records('in')[0]?.value);
    expect(bus.records('plain', jsonSerde<{ a: number }>())[0]?.value).toEqual({ a: 1 });
  });

  it('refuses async serdes in produce/records and serdes that do not return bytes', () => {
    const bus = memoryBus();
    const asyncSerde = {
      serialize: async (v: number) => Buffer.from(String(v)),
      deserialize: async (raw: Uint8Array | null) => Number(String(raw)),
    };
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isTributaryError(error, 'INVALID_OPTION') ? error.message : `other: ${error}`;
      }
      return 'nothing thrown';
    };
    expect(refused(() => bus.produce('t', [{ value: 1 }], { serde: asyncSerde }))).toMatch(
      /synchronous serde/,
    );
    expect(bus.records('t')).toHaveLength(0);
    bus.produce('t', [{ value: 1 }]);
    expect(refused(() => bus.records('t', asyncSerde))).toMatch(/synchronous serde/);
    const textSerde = { serialize: (v: number) => String(v) as unknown as Uint8Array };
    expect(refused(() => bus.produce('t', [{ value: 2 }], { serde: textSerde }))).toMatch(
      /expected bytes/,
    );
  });

  it('places keyed records on the partition Kafka would pick', () => {
    const bus = memoryBus({ partitions: 6 });
    const records = bus.produce(
      't',
      ['21', 'abc', 'foobar', 'user-7'].map((key) => ({ key, value: key })),
    );
    for (const r of records) expect(r.partition).toBe(partitionFor(r.key as string, 6));
  });

  it('spreads unkeyed records round robin and assigns offsets per partition', () => {
    const bus = memoryBus({ partitions: 2 });
    const r = bus.produce('t', [{ value: 1 }, { value: 2 }, { value: 3 }]);
    expect(r.map((x) => [x.partition, x.offset])).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
  });

  it('administers topics and rejects unknown ones when auto-creation is off', async () => {
    const bus = memoryBus({ autoCreateTopics: false });
    await bus.admin.ensureTopics([
      { topic: 'a', partitions: 4, config: { 'cleanup.policy': 'compact' } },
    ]);
    await bus.admin.ensureTopics([{ topic: 'a', partitions: 9 }]);
    expect(await bus.admin.partitions('a')).toBe(4);
    expect(await bus.admin.listTopics()).toEqual(['a']);
    await bus.admin.deleteTopics(['a']);
    const error = await bus.admin.partitions('a').catch((e: unknown) => e);
    expect(isTributaryError(error, 'TOPIC_NOT_FOUND')).toBe(true);
    expect(() => bus.produce('b', [{ value: 1 }])).toThrowError(/topic "b" does not exist/);
  });

  it('rejects invalid options naming them', () => {
    expect(() => memoryBus({ partitions: 0 })).toThrowError(/`partitions`/);
    const bus = memoryBus();
    expect(() => bus.source({ topic: [], group: 'g' })).toThrowError(/`topic`/);
    expect(() => bus.source({ topic: 't', group: '' })).toThrowError(/`group`/);
    expect(() => bus.produce('t', [{ value: 1, partition: 3 }])).toThrowError(/out of range/);
  });

  it('shares partitions among members of a group and rebalances as members join and leave', async () => {
    const bus = memoryBus({ partitions: 6 });
    bus.produce(
      'in',
      Array.from({ length: 600 }, (_, i) => ({ key: `k${i}`, value: i })),
    );
    const seen: number[] = [];
    const member = () => {
      const sink = collect<number>();
      const handle = run(
        pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'workers' }))
          .pipe(async (v) => {
            seen.push(v);
            await new Promise((r) => setImmediate(r));
            return v;
          })
          .to(sink),
        { logger: silentLogger, commitIntervalMs: 5, maxInFlight: 50 },
      );
      return { handle, sink };
    };
    const a = member();
    await vi.waitFor(() => expect(a.handle.metrics().assigned).toHaveLength(6));
    const b = member();
    await vi.waitFor(() => {
      expect(a.handle.metrics().assigned).toHaveLength(3);
      expect(b.handle.metrics().assigned).toHaveLength(3);
    });
    const partsA = a.handle.metrics().assigned.map((p) => p.partition);
    const partsB = b.handle.metrics().assigned.map((p) => p.partition);
    expect([...partsA, ...partsB].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    await a.handle.stop();
    await vi.waitFor(() => expect(b.handle.metrics().assigned).toHaveLength(6));
    await vi.waitFor(() =>
      expect(
        b.handle.metrics().recordsDone + a.handle.metrics().recordsDone,
      ).toBeGreaterThanOrEqual(600),
    );
    await vi.waitFor(async () => {
      const committed = await bus.admin.committed('workers', 'in');
      expect(committed.reduce((n, c) => n + c.offset, 0)).toBe(600);
    });
    await b.handle.stop();
    const out = new Set([...a.sink.written, ...b.sink.written].map((r) => r.value));
    expect(out.size).toBe(600);
  });

  it('tells a source listener once that it caught up with the start-time ends, before ended', async () => {
    const bus = memoryBus({ partitions: 2 });
    bus.produce('t', [
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
      { key: 'c', value: 3 },
    ]);
    const events: string[] = [];
    const listener = (tag: string) => ({
      deliver: async (batch: readonly unknown[]) => {
        events.push(`${tag} deliver ${batch.length}`);
      },
      assigned: async () => {},
      revoked: async () => {},
      ended: () => events.push(`${tag} ended`),
      caughtUp: () => events.push(`${tag} caughtUp`),
      failed: (e: unknown) => events.push(`${tag} failed ${String(e)}`),
    });
    const follow = await bus.source({ topic: 't', group: 'f' }).start(listener('follow'));
    await vi.waitFor(() => expect(events).toContain('follow caughtUp'));
    bus.produce('t', [{ key: 'd', value: 4 }]);
    await vi.waitFor(() =>
      expect(events.filter((e) => e.startsWith('follow deliver')).length).toBeGreaterThanOrEqual(2),
    );
    await follow.close();
    expect(events.filter((e) => e === 'follow caughtUp')).toHaveLength(1);
    expect(events).not.toContain('follow ended');
    const bounded = await bus
      .source({ topic: 't', group: 'b', stopAtEnd: true })
      .start(listener('bounded'));
    await vi.waitFor(() => expect(events).toContain('bounded ended'));
    await bounded.close();
    const mine = events.filter((e) => e.startsWith('bounded'));
    expect(mine.slice(-2)).toEqual(['bounded caughtUp', 'bounded ended']);
    // The bounded source read all four records before it caught up.
    const delivered = mine.filter((e) => e.includes('deliver')).map((e) => Number(e.split(' ')[2]));
    expect(delivered.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('replays from the earliest offset, the latest, a timestamp, and after resetOffsets', async () => {
    const bus = memoryBus();
    bus.produce(
      'ev',
      Array.from({ length: 10 }, (_, i) => ({ value: i, timestamp: 1_000 + i * 100 })),
    );
    const readAll = async (group: string, from?: 'earliest' | 'latest' | { timestamp: number }) => {
      const sink = collect<number>();
      await run(
        pipeline(
          bus.source({
            serde: jsonSerde<number>(),
            topic: 'ev',
            group,
            stopAtEnd: true,
            ...(from ? { from } : {}),
          }),
        ).to(sink),
        { logger: silentLogger },
      ).done;
      return sink.written.map((r) => r.value);
    };
    expect(await readAll('g1')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await readAll('g1')).toEqual([]);
    expect(await readAll('g2', 'latest')).toEqual([]);
    expect(await readAll('g3', { timestamp: 1_650 })).toEqual([7, 8, 9]);
    await bus.admin.resetOffsets('g1', 'ev', { timestamp: 1_800 });
    expect(await readAll('g1')).toEqual([8, 9]);
    await bus.admin.resetOffsets('g1', 'ev', [{ topic: 'ev', partition: 0, offset: 5 }]);
    expect(await readAll('g1')).toEqual([5, 6, 7, 8, 9]);
  });

  it('admin.offsets gives the first, end and by-timestamp offsets without moving a group', async () => {
    const bus = memoryBus({ partitions: 2 });
    bus.produce(
      'ev',
      Array.from({ length: 6 }, (_, i) => ({ value: i, partition: i % 2, timestamp: 1_000 + i })),
    );
    const at = async (from: 'earliest' | 'latest' | { timestamp: number }) =>
      (await bus.admin.offsets('ev', from)).map((o) => [o.partition, o.offset]);
    expect(await at('earliest')).toEqual([
      [0, 0],
      [1, 0],
    ]);
    expect(await at('latest')).toEqual([
      [0, 3],
      [1, 3],
    ]);
    // Partition 0 holds timestamps 1000, 1002, 1004; partition 1 holds 1001, 1003, 1005.
    expect(await at({ timestamp: 1_003 })).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(await at({ timestamp: 9_999 })).toEqual([
      [0, 3],
      [1, 3],
    ]);
    expect(await bus.admin.committed('nobody', 'ev')).toEqual([]);
    await expect(bus.admin.offsets('missing', 'latest')).rejects.toMatchObject({
      code: 'TOPIC_NOT_FOUND',
    });
    await expect(bus.admin.offsets('ev', 'soon' as 'latest')).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });

  it('refuses to reset the offsets of a group with active members', async () => {
    const bus = memoryBus();
    const h: RunHandle = run(pipeline(bus.source({ topic: 'x', group: 'busy' })).to(collect()), {
      logger: silentLogger,
    });
    await vi.waitFor(() => expect(h.metrics().assigned).toHaveLength(1));
    const error = await bus.admin.resetOffsets('busy', 'x', 'earliest').catch((e: unknown) => e);
    expect(isTributaryError(error, 'GROUP_NOT_EMPTY')).toBe(true);
    await h.stop();
  });

  it('delivers records produced while a pipeline waits, and serialises through a sink serde', async () => {
    const bus = memoryBus();
    const h = run(
      pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'live', group: 'g' })).to(
        bus.sink<number>({ topic: 'out', serde: { serialize: (v) => Buffer.from(`n=${v}`) } }),
      ),
      { logger: silentLogger },
    );
    await vi.waitFor(() => expect(h.metrics().assigned).toHaveLength(1));
    bus.produce('live', [{ value: 1 }, { value: 2 }]);
    await vi.waitFor(() =>
      expect(bus.records('out', stringSerde()).map((r) => r.value)).toEqual(['n=1', 'n=2']),
    );
    await h.stop();
  });
});
