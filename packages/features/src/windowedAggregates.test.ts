import type { StageResult } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { count, distinct, max, mean, min, std, sum } from './aggregates.js';
import { testHarness } from './internal/testContext.js';
import { windowedAggregates } from './windowedAggregates.js';
import { hopping, session, sliding, tumbling } from './windows.js';

interface Tx {
  t: number;
  amount: number;
  merchant: string;
}

const aggs = {
  n: count(),
  total: sum((x: Tx) => x.amount),
  avg: mean((x: Tx) => x.amount),
  sd: std((x: Tx) => x.amount),
  lo: min((x: Tx) => x.amount),
  hi: max((x: Tx) => x.amount),
  merchants: distinct((x: Tx) => x.merchant),
};
const tx = (t: number, amount: number, merchant = 'm'): Tx => ({ t, amount, merchant });
const eventTime = (x: Tx) => x.t;
// The stage is synchronous; these narrow its declared result for assertions.
const one = <T>(r: StageResult<T>) => r as T;
const several = <T>(r: StageResult<T>) =>
  r as unknown as { items: { value: T; timestamp: number }[] };

describe('windowedAggregates (enrich)', () => {
  it('computes per-key tumbling aggregates as of each record (hand-computed)', () => {
    const h = testHarness();
    const stage = windowedAggregates({ window: tumbling(10_000), aggregates: aggs, eventTime });
    const run = (x: Tx, key = 'card-1') => one(stage.process(x, h.ctx(key, 0)));
    const a = run(tx(1000, 5, 'a'));
    expect(a).toMatchObject({
      key: 'card-1',
      eventTime: 1000,
      window: { start: 0, end: 10_000 },
      aggregates: { n: 1, total: 5, avg: 5, sd: null, lo: 5, hi: 5, merchants: 1 },
      sinceLastMs: null,
      late: false,
    });
    const b = run(tx(4000, 7, 'b'));
    expect(b.aggregates).toMatchObject({ n: 2, total: 12, avg: 6, lo: 5, hi: 7, merchants: 2 });
    expect(b.aggregates.sd).toBeCloseTo(Math.SQRT2, 12); // sample std of 5, 7
    expect(b.sinceLastMs).toBe(3000);
    // 5, 7, 3: mean 5, squares 0 + 4 + 4 = 8, / (3 - 1) → std 2
    expect(run(tx(9000, 3, 'a')).aggregates).toMatchObject({
      n: 3,
      total: 15,
      avg: 5,
      sd: 2,
      lo: 3,
      hi: 7,
      merchants: 2,
    });
    // another key has its own state
    expect(run(tx(9500, 100), 'card-2').aggregates).toMatchObject({ n: 1, total: 100 });
    const d = run(tx(12_000, 10));
    expect(d.window).toEqual({ start: 10_000, end: 20_000 });
    expect(d.aggregates).toMatchObject({ n: 1, total: 10 });
    expect(d.sinceLastMs).toBe(3000);
  });

  it('uses the earliest-starting hopping window that holds the record', () => {
    const h = testHarness();
    const stage = windowedAggregates({
      window: hopping(10_000, 5000),
      aggregates: { n: count() },
      eventTime,
    });
    stage.process(tx(3000, 1), h.ctx('k', 0));
    const out = stage.process(tx(7000, 1), h.ctx('k', 0)) as {
      window: unknown;
      aggregates: { n: number };
    };
    // 7000 is in [0, 10000) (with 3000) and [5000, 15000)
    expect(out.window).toEqual({ start: 0, end: 10_000 });
    expect(out.aggregates.n).toBe(2);
    const next = stage.process(tx(12_000, 1), h.ctx('k', 0)) as {
      window: unknown;
      aggregates: { n: number };
    };
    expect(next.window).toEqual({ start: 5000, end: 15_000 });
    expect(next.aggregates.n).toBe(2); // 7000 and 12000
  });

  it('slides over (t - size, t]', () => {
    const h = testHarness();
    const stage = windowedAggregates({
      window: sliding(10_000),
      aggregates: { total: sum((x: Tx) => x.amount) },
      eventTime,
    });
    const totals = [tx(1000, 1), tx(5000, 2), tx(11_000, 4), tx(15_000, 8)].map(
      (x) =>
        (stage.process(x, h.ctx('k', 0)) as { aggregates: { total: number } }).aggregates.total,
    );
    // 11000 sees (1000, 11000]: 2 + 4; 15000 sees (5000, 15000]: 4 + 8
    expect(totals).toEqual([1, 3, 6, 12]);
  });

  it('merges sessions a record bridges', () => {
    const h = testHarness();
    const stage = windowedAggregates({
      window: session(5000),
      aggregates: { n: count() },
      eventTime,
      allowedLatenessMs: 100_000,
    });
    const p = (t: number) =>
      stage.process(tx(t, 1), h.ctx('k', 0)) as { window: unknown; aggregates: { n: number } };
    expect(p(0).window).toEqual({ start: 0, end: 5000 });
    expect(p(3000).aggregates.n).toBe(2);
    expect(p(12_000)).toMatchObject({
      window: { start: 12_000, end: 17_000 },
      aggregates: { n: 1 },
    });
    // 7500 is within 5000 of 3000 and of 12000: one session [0, 12000]
    expect(p(7500)).toMatchObject({ window: { start: 0, end: 17_000 }, aggregates: { n: 4 } });
  });
});

describe('windowedAggregates late records', () => {
  const setup = (
    late: 'include' | 'drop' | 'dead-letter',
    output: 'enrich' | 'windows' = 'enrich',
  ) => {
    const h = testHarness();
    const stage = windowedAggregates({
      window: tumbling(10_000),
      aggregates: { n: count() },
      eventTime,
      allowedLatenessMs: 2000,
      late,
      output,
    });
    const p = (t: number) => stage.process(tx(t, 1), h.ctx('k', 0));
    return { h, p };
  };

  it('accepts records within the allowed lateness', () => {
    const { p } = setup('drop');
    p(9000);
    p(12_000);
    // 10000 - 2000 = watermark 10000; 10500 is behind the max but not late
    expect(p(10_500)).toMatchObject({ late: false, aggregates: { n: 2 } });
  });

  it("'drop' drops and counts late records", () => {
    const { h, p } = setup('drop');
    p(1000);
    p(15_000); // watermark 13000
    expect(p(12_000)).toBeUndefined();
    expect(h.counters.late_dropped).toBe(1);
  });

  it("'dead-letter' throws LATE_RECORD before changing state", () => {
    const { h, p } = setup('dead-letter');
    p(15_000);
    const before = JSON.stringify(h.store.get('k'));
    expect(() => p(12_000)).toThrow(
      expect.objectContaining({
        code: 'LATE_RECORD',
        details: { eventTime: 12_000, watermark: 13_000, lateByMs: 1000 },
      }),
    );
    expect(JSON.stringify(h.store.get('k'))).toBe(before);
  });

  it("'include' aggregates late records into the windows still kept and flags them", () => {
    const { h, p } = setup('include');
    p(11_000);
    p(15_000);
    expect(p(12_000)).toMatchObject({ late: true, aggregates: { n: 3 } });
    expect(h.counters.late_included).toBe(1);
  });

  it("'include' in windows mode re-emits an evicted window from the late data, flagged late", () => {
    const { p } = setup('include', 'windows');
    p(1000);
    expect(p(5000)).toBeUndefined();
    const closed = several(p(13_000));
    expect(closed.items.map((i) => i.value)).toEqual([
      { key: 'k', window: { start: 0, end: 10_000 }, aggregates: { n: 2 }, late: false },
    ]);
    expect(closed.items[0]!.timestamp).toBe(10_000);
    const again = several(p(2000));
    expect(again.items.map((i) => i.value)).toEqual([
      { key: 'k', window: { start: 0, end: 10_000 }, aggregates: { n: 1 }, late: true },
    ]);
  });
});

describe('windowedAggregates options', () => {
  it('fails fast on bad options and bad event times', () => {
    expect(() =>
      windowedAggregates({ window: sliding(1000), aggregates: {}, output: 'windows' }),
    ).toThrow(/output/);
    expect(() =>
      windowedAggregates({ window: { type: 'daily' } as never, aggregates: {} }),
    ).toThrow(/window/);
    expect(() =>
      windowedAggregates({ window: tumbling(1000), aggregates: {}, allowedLatenessMs: -1 }),
    ).toThrow(/allowedLatenessMs/);
    expect(() => tumbling(0)).toThrow(/sizeMs/);
    expect(() => hopping(1000, 2000)).toThrow(/hopMs/);
    const h = testHarness();
    const stage = windowedAggregates({ window: tumbling(1000), aggregates: { n: count() } });
    expect(() => stage.process(1, h.ctx('k', Number.NaN))).toThrow(
      expect.objectContaining({ code: 'EVENT_TIME_INVALID' }),
    );
    expect(stage.retry).toEqual({ retries: 0 });
  });
});
