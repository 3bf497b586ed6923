import {
  DeadLetterHeaders,
  deadLetter,
  headerToString,
  memoryBus,
  type OutRecord,
  pipeline,
  run,
  type Sink,
  silentLogger,
} from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { count, sum } from './aggregates.js';
import { featureVector } from './featureVector.js';
import { standardScaler } from './standardScaler.js';
import { windowedAggregates } from './windowedAggregates.js';
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
    );
    const late = collect<unknown>('late');
    const out = collect<{ key: string; n: number; total: number; x: number[] }>('out');
    const summary = await run(
      pipeline(bus.source<{ amount: number }>({ topic: 'payments', group: 'g', stopAtEnd: true }))
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
