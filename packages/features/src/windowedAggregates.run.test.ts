import {
  DeadLetterHeaders,
  deadLetter,
  headerToString,
  jsonSerde,
  keyToString,
  memoryBus,
  type OutRecord,
  pipeline,
  run,
  type Sink,
  silentLogger,
} from '@tributary/core';
import { describe, expect, it, vi } from 'vitest';
import { count, sum } from './aggregates.js';
import { featureVector } from './featureVector.js';
import { standardScaler } from './standardScaler.js';
import { type WindowResult, windowedAggregates } from './windowedAggregates.js';
import { tumbling } from './windows.js';

const collect = <V>(name: string) => {
  const written: OutRecord<V>[] = [];
  const sink: Sink<V> & { written: OutRecord<V>[] } = {
    name,
    written,
    write: async (batch) => {
      written.push(...batch);
    },
  };
  return sink;
};

describe('windowedAggregates in a running pipeline', () => {
  it('keeps state per key through the runtime and dead-letters late records as LATE_RECORD', async () => {
    const bus = memoryBus({ partitions: 2 });
    const ts = [1000, 2000, 15_000, 3000, 16_000];
    bus.produce(
      'payments',
      ts.flatMap((t) => [
        { key: 'card-a', value: { amount: 10 }, timestamp: t },
        { key: 'card-b', value: { amount: 1 }, timestamp: t },
      ]),
      { serde: jsonSerde<{ amount: number }>() },
    );
    const late = collect<unknown>('late');
    const out = collect<{ key: string; n: number; total: number; x: number[] }>('out');
    const summary = await run(
      pipeline(
        bus.source({
          serde: jsonSerde<{ amount: number }>(),
          topic: 'payments',
          group: 'g',
          stopAtEnd: true,
        }),
      )
        .pipe(
          windowedAggregates({
            window: tumbling(10_000),
            aggregates: { n: count(), total: sum((p: { amount: number }) => p.amount) },
            late: 'dead-letter',
            onError: deadLetter(late),
          }),
        )
        .pipe((w) => ({ key: w.key, ...w.aggregates }))
        .pipe(standardScaler({ fields: ['total'], learn: false }))
        .pipe(featureVector({ columns: ['n', 'total'] }))
        .pipe((fv) => ({ key: fv.value.key, n: fv.value.n, total: fv.value.total, x: [...fv.x] }))
        .to(out),
      { logger: silentLogger },
    ).done;
    const byKey = (k: string) => out.written.filter((r) => r.value.key === k).map((r) => r.value.n);
    expect(byKey('card-a')).toEqual([1, 2, 1, 2]);
    expect(byKey('card-b')).toEqual([1, 2, 1, 2]);
    // the record at 3000 came after 15000: behind the watermark, for both keys
    expect(late.written.map((r) => r.key)).toEqual(expect.arrayContaining(['card-a', 'card-b']));
    expect(late.written).toHaveLength(2);
    const h = late.written[0]!.headers;
    expect(headerToString(h[DeadLetterHeaders.code])).toBe('LATE_RECORD');
    expect(JSON.parse(headerToString(h[DeadLetterHeaders.details])!)).toEqual({
      eventTime: 3000,
      watermark: 15_000,
      lateByMs: 12_000,
    });
    expect(headerToString(h[DeadLetterHeaders.attempts])).toBe('1');
    expect(summary.deadLettered).toBe(2);
  });
});

interface Tx {
  amount: number;
}
const txSerde = jsonSerde<Tx>();
type Closed = WindowResult<{ n: number; total: number }>;
const windowsStage = () =>
  windowedAggregates({
    window: tumbling(10_000),
    aggregates: { n: count(), total: sum((t: Tx) => t.amount) },
    output: 'windows',
  });

describe("windowedAggregates 'windows' in a running pipeline", () => {
  it("a bounded backtest emits every key's last window and single-event keys", async () => {
    const bus = memoryBus({ partitions: 2 });
    // Six keys with records every 3 s over 40 s, and one key with a single record.
    const input = Array.from({ length: 6 * 14 }, (_, i) => ({
      key: `k${i % 6}`,
      value: { amount: i },
      timestamp: 1000 + Math.floor(i / 6) * 3000,
    }));
    input.push({ key: 'solo', value: { amount: 5 }, timestamp: 7000 });
    input.sort((a, b) => a.timestamp - b.timestamp);
    bus.produce('tx', input, { serde: txSerde });
    const out = collect<Closed>('out');
    const summary = await run(
      pipeline(bus.source({ serde: txSerde, topic: 'tx', group: 'g', stopAtEnd: true }))
        .pipe(windowsStage())
        .to(out),
      { logger: silentLogger },
    ).done;
    // Brute force: every (key, window) holding a record, with its count and total.
    const expected = new Map<string, { n: number; total: number }>();
    for (const r of input) {
      const id = `${r.key}@${Math.floor(r.timestamp / 10_000) * 10_000}`;
      const e = expected.get(id) ?? { n: 0, total: 0 };
      expected.set(id, { n: e.n + 1, total: e.total + r.value.amount });
    }
    const got = new Map(
      out.written.map((r) => [`${r.value.key}@${r.value.window.start}`, r.value.aggregates]),
    );
    expect(out.written).toHaveLength(expected.size);
    expect(got).toEqual(expected);
    expect(got.get('solo@0')).toEqual({ n: 1, total: 5 });
    // Each key's last window [40000, 50000) is only closed by the end of input.
    const last = out.written.filter((r) => r.value.window.start === 40_000);
    expect(last.map((r) => r.value.key).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
    expect(last.every((r) => r.value.closedBy === 'end')).toBe(true);
    expect(out.written.every((r) => keyToString(r.key) === r.value.key)).toBe(true);
    expect(out.written.reduce((n, r) => n + r.value.aggregates.n, 0)).toBe(input.length);
    expect(summary.recordsDone).toBe(input.length);
  });

  it("emits an idle key's window while running, once another key passes it; stop() flushes the rest", async () => {
    const bus = memoryBus({ partitions: 1 });
    const produce = (key: string, timestamp: number) =>
      bus.produce('tx', [{ key, value: { amount: 1 }, timestamp }], { serde: txSerde });
    produce('idle', 1000);
    produce('busy', 2000);
    const out = collect<Closed>('out');
    const handle = run(
      pipeline(bus.source({ serde: txSerde, topic: 'tx', group: 'g' }))
        .pipe(windowsStage())
        .to(out),
      { logger: silentLogger, lingerMs: 1 },
    );
    await vi.waitFor(() => expect(handle.metrics().recordsDone).toBe(2));
    expect(out.written).toHaveLength(0);
    produce('busy', 25_000);
    await vi.waitFor(() => expect(out.written).toHaveLength(2));
    expect(out.written.map((r) => [keyToString(r.key), r.timestamp, r.value.closedBy])).toEqual([
      ['busy', 10_000, 'watermark'],
      ['idle', 10_000, 'watermark'],
    ]);
    await handle.stop();
    expect(
      out.written.slice(2).map((r) => [r.value.key, r.value.window, r.value.closedBy]),
    ).toEqual([['busy', { start: 20_000, end: 30_000 }, 'stop']]);
  });

  it('timers survive a restore from a snapshot', async () => {
    const bus = memoryBus({ partitions: 1 });
    bus.produce(
      'tx',
      [
        { key: 'idle', value: { amount: 1 }, timestamp: 1000 },
        { key: 'busy', value: { amount: 1 }, timestamp: 2000 },
      ],
      { serde: txSerde },
    );
    const source = () => bus.source({ serde: txSerde, topic: 'tx', group: 'g' });
    const first = run(pipeline(source()).pipe(windowsStage()).to(collect<Closed>('a')), {
      logger: silentLogger,
      commitIntervalMs: 5,
    });
    await vi.waitFor(() => expect(first.metrics().committed[0]?.offset).toBe(2));
    const snapshot = first.snapshot();
    await first.stop();
    bus.produce('tx', [{ key: 'busy', value: { amount: 1 }, timestamp: 25_000 }], {
      serde: txSerde,
    });
    const out = collect<Closed>('b');
    const second = run(pipeline(source()).pipe(windowsStage()).to(out), {
      logger: silentLogger,
      restore: snapshot,
      lingerMs: 1,
    });
    await vi.waitFor(() => expect(out.written.length).toBeGreaterThanOrEqual(2));
    expect(out.written.slice(0, 2).map((r) => [r.value.key, r.value.closedBy])).toEqual([
      ['busy', 'watermark'],
      ['idle', 'watermark'],
    ]);
    await second.stop();
  });
});
