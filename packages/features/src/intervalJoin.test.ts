import {
  type Bytes,
  DeadLetterHeaders,
  deadLetter,
  headerToString,
  isEmit,
  isMany,
  isTributaryError,
  jsonSerde,
  type Key,
  keyToString,
  memoryBus,
  memoryStateStore,
  type PartitionState,
  pipeline,
  run,
  type StageContext,
  type StageEndContext,
  type StageObject,
  type StateSnapshot,
  type StateStore,
  silentLogger,
} from '@tributary/core';
import { describe, expect, it, vi } from 'vitest';
import { type IntervalJoined, type IntervalJoinOptions, intervalJoin } from './intervalJoin.js';

interface Quote {
  id: string;
}
interface Outcome {
  won: boolean;
}
const quotes = jsonSerde<Quote>();
const outcomes = jsonSerde<Outcome>();
const MIN = 60_000;

const opts = {
  left: { topic: 'quotes', values: quotes },
  right: { topic: 'outcomes', values: outcomes },
  withinMs: 10 * MIN,
} satisfies IntervalJoinOptions<Quote, Outcome>;

type Joined = IntervalJoined<Quote, Outcome | undefined>;
type Stage = StageObject<Bytes, Joined>;

/**
 * Drives a join stage by hand over two co-partitioned topics of one partition each. State goes
 * through JSON on every write, as a changelog store keeps it, so a stage that mutates what it
 * read without writing it back, or keeps something that is not plain data, fails here.
 */
function harness(stage: Stage) {
  const stores = new Map<string, Map<string, string>>();
  const counters: Record<string, number> = {};
  const count = (metric: string, by = 1) => {
    counters[metric] = (counters[metric] ?? 0) + by;
  };
  const partitionState = (topic: string): PartitionState => {
    let store = stores.get(topic);
    if (store === undefined) {
      store = new Map();
      stores.set(topic, store);
    }
    const s = store;
    return {
      of: (k: Key) => {
        const id = keyToString(k);
        return {
          get: <T>() => (s.has(id) ? (JSON.parse(s.get(id)!) as T) : undefined),
          set: (v) => void s.set(id, JSON.stringify(v)),
          delete: () => void s.delete(id),
        };
      },
      keys: () => [...s.keys()],
    };
  };
  const signal = new AbortController().signal;
  /** Outputs of one record as `left|right@timestamp` (right `-` when unmatched). */
  const send = (topic: string, key: Key, t: number, value: Quote | Outcome | null) => {
    const ctx: StageContext = {
      topic,
      partition: 0,
      offset: 0,
      key,
      timestamp: t,
      headers: {},
      state: partitionState(topic).of(key),
      partitionState: partitionState(topic),
      partitionStateOn: partitionState,
      log: silentLogger,
      count,
      signal,
    };
    const serde = topic === 'quotes' ? quotes : outcomes;
    return show(stage.process(value === null ? null : serde.serialize(value as never), ctx));
  };
  const show = (out: unknown): string[] => {
    if (out === undefined) return [];
    const items = isMany(out) ? out.items : [out];
    return items.map((o) => {
      const e = isEmit(o) ? o : undefined;
      const j = (e?.value ?? o) as Joined;
      const key = e?.key === undefined ? '' : `${keyToString(e.key)}:`;
      return `${key}${j.left.id}|${j.right === undefined ? '-' : j.right.won}@${e?.timestamp}`;
    });
  };
  return {
    counters,
    stores,
    quote: (key: Key, t: number, id: string) => send('quotes', key, t, { id }),
    outcome: (key: Key, t: number, won: boolean) => send('outcomes', key, t, { won }),
    tombstone: (topic: string, key: Key, t: number) => send(topic, key, t, null),
    end: (topic = 'quotes') => {
      const ctx: StageEndContext = {
        stage: 'intervalJoin',
        topic,
        partition: 0,
        reason: 'end',
        partitionState: partitionState(topic),
        log: silentLogger,
        count,
        signal,
      };
      return show(stage.end?.(ctx));
    },
    /** Buffered records of `key` on `topic`. */
    buffered: (topic: string, key: string) =>
      (JSON.parse(stores.get(topic)?.get(key) ?? '{"b":[]}') as { b: unknown[] }).b.length,
  };
}

describe('intervalJoin (by hand)', () => {
  it('joins records of the same key within withinMs, in either arrival order, and no others', () => {
    // Lateness as long as the window, so a record may come after its partner either way round.
    const h = harness(intervalJoin({ ...opts, allowedLatenessMs: 10 * MIN }));
    expect(h.quote('a', 0, 'q1')).toEqual([]);
    expect(h.outcome('b', 5 * MIN, true)).toEqual([]); // another key
    expect(h.outcome('a', 10 * MIN, true)).toEqual([`q1|true@${10 * MIN}`]); // exactly withinMs
    expect(h.outcome('a', 10 * MIN + 1, false)).toEqual([]); // 1 ms too far
    // The right record first, the left one after: the same pair.
    expect(h.outcome('c', 20 * MIN, false)).toEqual([]);
    expect(h.quote('c', 15 * MIN, 'q2')).toEqual([`q2|false@${20 * MIN}`]);
    expect(h.quote('c', 10 * MIN - 1, 'q3')).toEqual([]); // 1 ms too far, the other way
  });

  it('emits one pair per partner, each stamped with the newer event time of its pair', () => {
    const h = harness(intervalJoin(opts));
    h.outcome('a', 1 * MIN, true);
    h.outcome('a', 3 * MIN, false);
    h.outcome('a', 30 * MIN, true);
    expect(h.quote('a', 2 * MIN, 'q')).toEqual([]); // behind the watermark (30 min): dropped
    expect(h.counters.late_dropped).toBe(1);
    const g = harness(intervalJoin(opts));
    g.outcome('a', 1 * MIN, true);
    g.outcome('a', 3 * MIN, false);
    expect(g.quote('a', 4 * MIN, 'q')).toEqual([`q|true@${4 * MIN}`, `q|false@${4 * MIN}`]);
    expect(g.quote('a', 5 * MIN, 'r')).toEqual([`r|true@${5 * MIN}`, `r|false@${5 * MIN}`]);
    expect(g.outcome('a', 6 * MIN, true)).toEqual([`q|true@${6 * MIN}`, `r|true@${6 * MIN}`]);
  });

  it('late records: allowedLatenessMs keeps them on time; include joins them with what is still buffered', () => {
    const lax = harness(intervalJoin({ ...opts, allowedLatenessMs: 5 * MIN }));
    lax.quote('a', 20 * MIN, 'q1');
    expect(lax.outcome('a', 16 * MIN, true)).toEqual([`q1|true@${20 * MIN}`]); // 4 min behind: on time
    expect(lax.counters.late_dropped).toBeUndefined();

    const inc = harness(intervalJoin({ ...opts, late: 'include' }));
    inc.quote('a', 0, 'q1');
    inc.quote('a', 8 * MIN, 'q2');
    expect(inc.outcome('a', 5 * MIN, true)).toEqual([`q1|true@${5 * MIN}`, `q2|true@${8 * MIN}`]);
    expect(inc.counters.late_included).toBe(1);
    inc.quote('a', 18 * MIN, 'q3'); // evicts q1 (older than 18 − 10 minutes)
    expect(inc.outcome('a', 9 * MIN, false)).toEqual([
      `q2|false@${9 * MIN}`,
      `q3|false@${18 * MIN}`,
    ]);
  });

  it("late: 'dead-letter' throws LATE_RECORD with the key's watermark", () => {
    const h = harness(intervalJoin({ ...opts, late: 'dead-letter', allowedLatenessMs: MIN }));
    h.quote('a', 10 * MIN, 'q1');
    try {
      h.outcome('a', 8 * MIN, true);
      expect.unreachable();
    } catch (e) {
      expect(isTributaryError(e, 'LATE_RECORD')).toBe(true);
      expect((e as { details: unknown }).details).toEqual({
        eventTime: 8 * MIN,
        watermark: 9 * MIN,
        lateByMs: MIN,
      });
    }
    expect(h.buffered('outcomes', 'a')).toBe(0);
  });

  it("kind 'left': an unmatched left record is emitted once its window closes, by a record of either side", () => {
    const h = harness(intervalJoin({ ...opts, kind: 'left' }));
    h.quote('a', 0, 'q1');
    h.quote('a', 1 * MIN, 'q2');
    // Joins q2, and its watermark passes q1's window (up to 10 min): q1 had no partner.
    expect(h.outcome('a', 10 * MIN + 30_000, true)).toEqual([
      'q1|-@0',
      `q2|true@${10 * MIN + 30_000}`,
    ]);
    // The watermark passes q2's window: q2 found a partner, so nothing more for it.
    expect(h.quote('a', 12 * MIN, 'q3')).toEqual([`q3|true@${12 * MIN}`]);
    expect(h.outcome('a', 12 * MIN, false)).toEqual([`q3|false@${12 * MIN}`]);
    expect(h.quote('a', 30 * MIN, 'q4')).toEqual([]);
    expect(h.outcome('a', 60 * MIN, true)).toEqual([`q4|-@${30 * MIN}`]);
    expect(h.counters.unmatched).toBe(2);
  });

  it("kind 'left': at the end of input, the unmatched left records still buffered, once, keyed as they came", () => {
    const h = harness(intervalJoin({ ...opts, kind: 'left' }));
    h.quote('b', 2 * MIN, 'q2');
    h.quote(null, 1 * MIN, 'q1');
    h.quote('c', 3 * MIN, 'q3');
    h.outcome('c', 4 * MIN, true);
    expect(h.end('outcomes')).toEqual([]);
    expect(h.end()).toEqual([`:q1|-@${MIN}`, `b:q2|-@${2 * MIN}`]);
    expect(h.end()).toEqual([]);
    // Still buffered: a partner read later joins them, and their window closes with no second output.
    expect(h.outcome('b', 5 * MIN, false)).toEqual([`q2|false@${5 * MIN}`]);
    expect(h.outcome('b', 20 * MIN, false)).toEqual([]);
  });

  it('an inner join drops unmatched left records, counted', () => {
    const h = harness(intervalJoin(opts));
    h.quote('a', 0, 'q1');
    expect(h.quote('a', 11 * MIN, 'q2')).toEqual([]);
    expect(h.counters.unmatched).toBe(1);
    expect(h.end()).toEqual([]);
  });

  it('evicts what no on-time record can join, so the buffers stay bounded', () => {
    const h = harness(intervalJoin({ ...opts, allowedLatenessMs: MIN }));
    let pairs = 0;
    let most = 0;
    for (let i = 0; i < 2000; i++) {
      pairs += h.quote('a', i * MIN, `q${i}`).length;
      pairs += h.outcome('a', i * MIN + 30_000, true).length;
      most = Math.max(most, h.buffered('quotes', 'a'), h.buffered('outcomes', 'a'));
    }
    // Each quote meets the 20 outcomes from 9.5 minutes before to 9.5 minutes after it, but
    // the first and last ten quotes, which have fewer.
    expect(pairs).toBe(2000 * 20 - 55 - 45);
    // Kept: the last withinMs + allowedLatenessMs (11 minutes) of each side, one a minute.
    expect(most).toBeLessThanOrEqual(12);
  });

  it('skips null values and rejects bad options with INVALID_OPTION', () => {
    const h = harness(intervalJoin(opts));
    h.quote('a', 0, 'q1');
    expect(h.tombstone('outcomes', 'a', 0)).toEqual([]);
    expect(h.counters.null_skipped).toBe(1);
    expect(h.buffered('outcomes', 'a')).toBe(0);
    const bad: unknown[] = [
      { ...opts, withinMs: -1 },
      { ...opts, withinMs: Number.POSITIVE_INFINITY },
      { ...opts, kind: 'outer' },
      { ...opts, late: 'later' },
      { ...opts, allowedLatenessMs: -5 },
      { ...opts, right: { ...opts.right, topic: 'quotes' } },
      { ...opts, left: { topic: '', values: quotes } },
      { ...opts, left: { topic: 'quotes' } },
      { ...opts, right: { ...opts.right, eventTime: 5 } },
      { ...opts, right: undefined },
    ];
    for (const o of bad) {
      expect(() => intervalJoin(o as typeof opts), JSON.stringify(o)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      );
    }
  });

  it('reads event times with eventTime per side', () => {
    const h = harness(
      intervalJoin({
        left: { ...opts.left, eventTime: (q) => Number(q.id) },
        right: opts.right,
        withinMs: 5,
      }),
    );
    h.quote('a', 999, '100');
    expect(h.outcome('a', 104, true)).toEqual(['100|true@104']);
  });
});

describe('intervalJoin in a running pipeline', () => {
  it('restores both buffers after a restart and joins the records read then with them', async () => {
    const bus = memoryBus({ partitions: 3 });
    // Stands in for a changelog store: what it holds outlives a run, as on Kafka.
    const kept = memoryStateStore();
    const state: StateStore = { ...kept, revoke: async () => {}, close: async () => {} };
    const runOnce = () => {
      const source = bus.source({ topic: ['quotes', 'outcomes'], group: 'j', stopAtEnd: true });
      return run(
        pipeline(source)
          .pipe(intervalJoin(opts))
          .to(bus.sink({ topic: 'joined' })),
        { state, logger: silentLogger },
      ).done;
    };
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
    bus.produce(
      'quotes',
      keys.map((key, i) => ({ key, value: { id: `q${i}` }, timestamp: i * MIN })),
      { serde: quotes },
    );
    bus.produce('outcomes', [{ key: 'k0', value: { won: false }, timestamp: 0 }], {
      serde: outcomes,
    });
    await runOnce();
    bus.produce(
      'outcomes',
      keys.map((key, i) => ({ key, value: { won: i % 2 === 0 }, timestamp: i * MIN + 9 * MIN })),
      { serde: outcomes },
    );
    await runOnce();
    const out = bus.records('joined', jsonSerde<IntervalJoined<Quote, Outcome>>());
    expect(
      out.map((r) => `${r.key} ${r.value.left.id} ${r.value.right.won} ${r.timestamp}`).sort(),
    ).toEqual([
      'k0 q0 false 0',
      `k0 q0 true ${9 * MIN}`,
      `k1 q1 false ${10 * MIN}`,
      `k2 q2 true ${11 * MIN}`,
      `k3 q3 false ${12 * MIN}`,
      `k4 q4 true ${13 * MIN}`,
      `k5 q5 false ${14 * MIN}`,
    ]);
  });

  it("dead-letters late records through the step's error policy, and a left join ends with the unmatched", async () => {
    const bus = memoryBus({ partitions: 2 });
    const kept = memoryStateStore();
    const state: StateStore = { ...kept, revoke: async () => {}, close: async () => {} };
    bus.produce(
      'quotes',
      [
        { key: 'a', value: { id: 'q1' }, timestamp: 0 },
        { key: 'a', value: { id: 'q2' }, timestamp: 30 * MIN },
        { key: 'b', value: { id: 'q3' }, timestamp: 0 },
      ],
      { serde: quotes },
    );
    const runOnce = () => {
      const source = bus.source({ topic: ['quotes', 'outcomes'], group: 'g', stopAtEnd: true });
      const join = intervalJoin({
        ...opts,
        kind: 'left',
        late: 'dead-letter',
        onError: deadLetter(bus.sink({ topic: 'late' })),
      });
      return run(
        pipeline(source)
          .pipe(join)
          .to(bus.sink({ topic: 'out' })),
        {
          state,
          logger: silentLogger,
        },
      ).done;
    };
    const shown = () =>
      bus
        .records('out', jsonSerde<Joined>())
        .map((r) => `${r.key} ${r.value.left.id} ${r.value.right?.won}`);
    await runOnce();
    // q1 left its window when q2 came; q2 and q3 were still buffered when the input ended.
    expect(shown().sort()).toEqual(['a q1 undefined', 'a q2 undefined', 'b q3 undefined']);
    bus.produce(
      'outcomes',
      [
        { key: 'a', value: { won: true }, timestamp: 5 * MIN }, // behind a's watermark (30 min)
        { key: 'b', value: { won: true }, timestamp: 5 * MIN },
      ],
      { serde: outcomes },
    );
    await runOnce();
    // b's quote, reported at the end, is still buffered (restored) and joins its outcome.
    expect(shown().slice(3)).toEqual(['b q3 true']);
    const late = bus.records('late');
    expect(late.map((r) => r.key)).toEqual(['a']);
    const h = late[0]!.headers;
    expect(headerToString(h[DeadLetterHeaders.code])).toBe('LATE_RECORD');
    expect(JSON.parse(headerToString(h[DeadLetterHeaders.details])!)).toEqual({
      eventTime: 5 * MIN,
      watermark: 30 * MIN,
      lateByMs: 25 * MIN,
    });
  });

  it('a partition moved to another member in a rebalance takes both buffers with it', async () => {
    const bus = memoryBus({ partitions: 2 });
    // A changelog in miniature: each member keeps state in memory, restores an assigned
    // partition from what was flushed, and flushes before each commit and on revoke.
    const durable = new Map<string, StateSnapshot>();
    const id = (tp: { topic: string; partition: number }) => `${tp.topic}/${tp.partition}`;
    const changelogStore = (): StateStore => {
      const memory = memoryStateStore();
      const owned = new Map<string, { topic: string; partition: number }>();
      const flush = async () => {
        for (const [k, tp] of owned)
          durable.set(k, JSON.parse(JSON.stringify(memory.snapshot(tp))));
      };
      return {
        ...memory,
        async assign(tps) {
          for (const tp of tps) {
            owned.set(id(tp), tp);
            memory.restore(tp, structuredClone(durable.get(id(tp)) ?? {}));
          }
        },
        async revoke(tps) {
          await flush();
          for (const tp of tps) owned.delete(id(tp));
          await memory.revoke(tps);
        },
        flush,
      };
    };
    const member = () =>
      run(
        pipeline(bus.source({ topic: ['quotes', 'outcomes'], group: 'moving' }))
          .pipe(intervalJoin(opts))
          .to(bus.sink({ topic: 'joined' })),
        { state: changelogStore(), logger: silentLogger },
      );
    const keys = Array.from({ length: 8 }, (_, i) => `k${i}`);
    bus.produce(
      'quotes',
      keys.map((key, i) => ({ key, value: { id: `q${i}` }, timestamp: i * MIN })),
      { serde: quotes },
    );
    const a = member();
    await vi.waitFor(() => expect(a.metrics().recordsDone).toBe(keys.length));
    const b = member();
    await vi.waitFor(() => expect(b.metrics().assigned).toHaveLength(2));
    await vi.waitFor(() => expect(a.metrics().assigned).toHaveLength(2));
    // Each member holds the same partition number of both topics.
    for (const h of [a, b]) {
      const held = h.metrics().assigned;
      expect(new Set(held.map((tp) => tp.partition)).size).toBe(1);
    }
    bus.produce(
      'outcomes',
      keys.map((key, i) => ({ key, value: { won: i % 2 === 0 }, timestamp: i * MIN + MIN })),
      { serde: outcomes },
    );
    const joined = () => bus.records('joined', jsonSerde<IntervalJoined<Quote, Outcome>>());
    await vi.waitFor(() => expect(joined()).toHaveLength(keys.length));
    const joinedByB = b.metrics().steps.intervalJoin?.out ?? 0;
    const read =
      (a.metrics().steps.intervalJoin?.in ?? 0) + (b.metrics().steps.intervalJoin?.in ?? 0);
    await a.stop();
    await b.stop();
    expect(
      joined()
        .map((r) => `${r.key} ${r.value.left.id} ${r.value.right.won}`)
        .sort(),
    ).toEqual(keys.map((k, i) => `${k} q${i} ${i % 2 === 0}`));
    // No record was read twice, so b read no quote: its pairs joined quotes restored from what
    // a flushed when the partition moved.
    expect(read).toBe(2 * keys.length);
    expect(joinedByB).toBeGreaterThan(0);
  });
});
