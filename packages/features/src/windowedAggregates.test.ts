import { type Key, keyToString, type StageResult } from '@tributary/core';
import { describe, expect, it, vi } from 'vitest';
import { count, distinct, max, mean, min, std, sum } from './aggregates.js';
import { testHarness } from './internal/testContext.js';
import { type WindowResult, windowedAggregates } from './windowedAggregates.js';
import { hopping, session, sliding, tumbling, type WindowSpec } from './windows.js';

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
      {
        key: 'k',
        window: { start: 0, end: 10_000 },
        aggregates: { n: 2 },
        late: false,
        closedBy: 'watermark',
      },
    ]);
    expect(closed.items[0]!.timestamp).toBe(10_000);
    const again = several(p(2000));
    expect(again.items.map((i) => i.value)).toEqual([
      {
        key: 'k',
        window: { start: 0, end: 10_000 },
        aggregates: { n: 1 },
        late: true,
        closedBy: 'watermark',
      },
    ]);
  });
});

describe("windowedAggregates 'windows': partition timers and end of input", () => {
  const windows = (window: WindowSpec = tumbling(10_000)) =>
    windowedAggregates({ window, aggregates: { n: count() }, eventTime, output: 'windows' });
  type Closed = { key: Key; value: WindowResult<{ n: number }>; timestamp: number };
  const closed = (r: StageResult<unknown>): Closed[] =>
    r === undefined ? [] : (r as unknown as { items: Closed[] }).items;
  const summary = (r: StageResult<unknown>) =>
    closed(r).map((c) => [keyToString(c.key), c.value.window.start, c.value.aggregates.n]);

  it("closes an idle key's windows once another key moves the partition's watermark past them", () => {
    const h = testHarness();
    const stage = windows();
    expect(stage.process(tx(1000, 1), h.ctx('idle', 0))).toBeUndefined();
    expect(stage.process(tx(2000, 1), h.ctx('busy', 0))).toBeUndefined();
    const out = closed(stage.process(tx(12_000, 1), h.ctx('busy', 0)));
    // By window end, then key: each output carries its own key and the window end as timestamp.
    expect(out.map((c) => [c.key, c.timestamp, c.value])).toEqual([
      [
        'busy',
        10_000,
        {
          key: 'busy',
          window: { start: 0, end: 10_000 },
          aggregates: { n: 1 },
          late: false,
          closedBy: 'watermark',
        },
      ],
      [
        'idle',
        10_000,
        {
          key: 'idle',
          window: { start: 0, end: 10_000 },
          aggregates: { n: 1 },
          late: false,
          closedBy: 'watermark',
        },
      ],
    ]);
    // A key with no open window keeps no state.
    expect(h.store.has('idle')).toBe(false);
    expect(h.counters.windows_emitted).toBe(2);
  });

  it('gives a window closed for an idle key its original key bytes and null keys back', () => {
    const h = testHarness();
    const stage = windows();
    const bytes = new Uint8Array([0xc3, 0xbc, 0x00, 0xff]);
    stage.process(tx(1000, 1), h.ctx(bytes, 0));
    stage.process(tx(1500, 1), h.ctx(null, 0));
    const out = closed(stage.process(tx(30_000, 1), h.ctx('other', 0)));
    const byteOut = out.find((c) => c.key instanceof Uint8Array);
    expect(byteOut === undefined ? undefined : [...(byteOut.key as Uint8Array)]).toEqual([
      ...bytes,
    ]);
    expect(out.filter((c) => c.key === null).map((c) => c.value.key)).toEqual(['']);
  });

  it("judges lateness by the partition's watermark: a record in a window closed by the timers is late", () => {
    const h = testHarness();
    const stage = windows();
    stage.process(tx(1000, 1), h.ctx('idle', 0));
    expect(summary(stage.process(tx(25_000, 1), h.ctx('busy', 0)))).toEqual([['idle', 0, 1]]);
    expect(stage.process(tx(3000, 1), h.ctx('idle', 0))).toBeUndefined();
    expect(h.counters.late_dropped).toBe(1);
  });

  it('at the end of input emits every open window of every key, marked by the reason', () => {
    const h = testHarness();
    const stage = windows();
    stage.process(tx(1000, 1), h.ctx('a', 0));
    stage.process(tx(4000, 1), h.ctx('a', 0));
    expect(summary(stage.process(tx(15_000, 1), h.ctx('b', 0)))).toEqual([['a', 0, 2]]);
    stage.process(tx(16_000, 1), h.ctx('c', 0));
    const end = closed(stage.end?.(h.endCtx('end')));
    expect(end.map((c) => [keyToString(c.key), c.value.window, c.value.closedBy])).toEqual([
      ['b', { start: 10_000, end: 20_000 }, 'end'],
      ['c', { start: 10_000, end: 20_000 }, 'end'],
    ]);
    expect(end.map((c) => c.timestamp)).toEqual([20_000, 20_000]);
    // The windows stay in state: a run resuming from the commit emits them again, complete.
    expect(h.store.has('b')).toBe(true);
    expect(closed(stage.end?.(h.endCtx('stop'))).map((c) => c.value.closedBy)).toEqual([
      'stop',
      'stop',
    ]);
  });

  it('flushes every hopping window holding a record and every open session', () => {
    const h = testHarness();
    const hop = windows(hopping(10_000, 5000));
    hop.process(tx(1000, 1), h.ctx('a', 0));
    expect(summary(hop.end?.(h.endCtx()))).toEqual([
      ['a', -5000, 1],
      ['a', 0, 1],
    ]);
    const hs = testHarness();
    const sessions = windows(session(5000));
    sessions.process(tx(1000, 1), hs.ctx('a', 0));
    sessions.process(tx(2000, 1), hs.ctx('b', 0));
    sessions.process(tx(3000, 1), hs.ctx('a', 0));
    expect(
      closed(sessions.end?.(hs.endCtx())).map((c) => [c.key, c.value.window, c.value.aggregates]),
    ).toEqual([
      ['b', { start: 2000, end: 7000 }, { n: 1 }],
      ['a', { start: 1000, end: 8000 }, { n: 2 }],
    ]);
  });

  it("emits nothing at the end in 'enrich' mode", () => {
    const h = testHarness();
    const stage = windowedAggregates({ window: tumbling(1000), aggregates: { n: count() } });
    stage.process(tx(1, 1), h.ctx('a', 1));
    expect(stage.end?.(h.endCtx()) ?? undefined).toBeUndefined();
  });

  it('a new stage over restored state rebuilds its timers from the keyed state', () => {
    const h = testHarness();
    windows().process(tx(1000, 1), h.ctx('idle', 0));
    const restarted = windows();
    expect(summary(restarted.process(tx(12_000, 1), h.ctx('busy', 0)))).toEqual([['idle', 0, 1]]);
  });

  it('rebuilds its timers when another member changed the partition while it was away', () => {
    const here = testHarness();
    const stage = windows();
    stage.process(tx(1000, 1), here.ctx('a', 0));
    // The partition moves to another member (its state with it), which adds keys b and c...
    const there = testHarness();
    for (const [k, v] of here.store) there.store.set(k, structuredClone(v));
    const other = windows();
    other.process(tx(2000, 1), there.ctx('b', 0));
    other.process(tx(3000, 1), there.ctx('c', 0));
    // ...and comes back: this stage's own timers know only a.
    here.store.clear();
    for (const [k, v] of there.store) here.store.set(k, structuredClone(v));
    expect(summary(stage.process(tx(25_000, 1), here.ctx('d', 0)))).toEqual([
      ['a', 0, 1],
      ['b', 0, 1],
      ['c', 0, 1],
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

describe('windowedAggregates with several sliding windows (windows option)', () => {
  it('gives each named window its aggregates and bounds, from one keyed state', () => {
    const h = testHarness();
    const stage = windowedAggregates({
      windows: { short: sliding(1000), long: sliding(10_000) },
      aggregates: { n: count(), total: sum((x: Tx) => x.amount) },
      eventTime,
    });
    const outs = [tx(0, 1), tx(500, 2), tx(1200, 4), tx(9000, 8), tx(10_600, 16)].map((x) =>
      one(stage.process(x, h.ctx('k', 0))),
    );
    expect(outs.map((o) => o.aggregates.short.total)).toEqual([1, 3, 6, 8, 16]);
    expect(outs.map((o) => o.aggregates.long.total)).toEqual([1, 3, 7, 15, 28]); // 10600 drops 0 and 500
    expect(outs[4]!.windows).toEqual({
      short: { start: 9600, end: 10_600 },
      long: { start: 600, end: 10_600 },
    });
    expect(outs[4]!.sinceLastMs).toBe(1600);
    // One buffer of the longest window in the key's state.
    expect(h.store.size).toBe(1);
    expect((h.store.get('k') as { e: unknown[] }).e.map((e) => (e as number[])[0])).toEqual([
      1200, 9000, 10_600,
    ]);
  });

  it('keeps float means and stds of a long stream close to a fresh computation', () => {
    const h = testHarness();
    const stage = windowedAggregates({
      windows: { w: sliding(5000) },
      aggregates: { avg: mean((x: Tx) => x.amount), sd: std((x: Tx) => x.amount) },
      eventTime,
    });
    const all: Tx[] = [];
    let last: { aggregates: { w: { avg: number | null; sd: number | null } } } | undefined;
    for (let i = 0; i < 20_000; i++) {
      // Amounts of very different sizes, the case where subtraction loses digits.
      const x = tx(i * 97, i % 50 === 0 ? 1e6 + i / 7 : 0.1 + (i % 13) / 3);
      all.push(x);
      last = one(stage.process(x, h.ctx('k', 0)));
    }
    const inWindow = all.filter((x) => x.t > all.at(-1)!.t - 5000).map((x) => x.amount);
    const avg = inWindow.reduce((a, b) => a + b, 0) / inWindow.length;
    const sd = Math.sqrt(inWindow.reduce((a, b) => a + (b - avg) ** 2, 0) / (inWindow.length - 1));
    expect(last!.aggregates.w.avg).toBeCloseTo(avg, 6);
    expect(last!.aggregates.w.sd).toBeCloseTo(sd, 6);
  });

  it('rejects windows that are not sliding, none, or a window as well', () => {
    const base = { aggregates: { n: count() } };
    expect(() => windowedAggregates({ ...base, windows: {} })).toThrow(/windows/);
    expect(() =>
      windowedAggregates({
        ...base,
        windows: { a: tumbling(1000) as unknown as ReturnType<typeof sliding> },
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() =>
      windowedAggregates({
        ...base,
        windows: { a: sliding(1000) },
        window: sliding(5),
      } as unknown as Parameters<typeof windowedAggregates>[0]),
    ).toThrow(/window/);
  });
});

describe('windowedAggregates distinct values named like Object.prototype members', () => {
  it('counts `__proto__`, `constructor` and `toString` as values in a sliding window', () => {
    const h = testHarness();
    const stage = windowedAggregates({
      window: sliding(10_000),
      aggregates: { merchants: distinct((x: Tx) => x.merchant) },
      eventTime,
    });
    const run = (x: Tx) => one(stage.process(x, h.ctx('card-1', 0))).aggregates.merchants;
    expect(run(tx(1000, 1, '__proto__'))).toBe(1);
    expect(run(tx(2000, 1, 'constructor'))).toBe(2);
    expect(run(tx(3000, 1, '__proto__'))).toBe(2);
    expect(run(tx(4000, 1, 'toString'))).toBe(3);
    // 1000 and 2000 leave the window (12_500 − 10_000 = 2_500): `__proto__` stays (3000).
    expect(run(tx(12_500, 1, 'a'))).toBe(3);
    // 3000 leaves: `__proto__` is gone.
    expect(run(tx(13_500, 1, 'a'))).toBe(2);
  });
});

describe('windowedAggregates without code generation', () => {
  it('gives the same records from its loop fallback as from its generated object makers', () => {
    // Names no other test builds: a maker generated for the same names would be reused.
    const build = () =>
      windowedAggregates({
        windows: { shortNoCodegen: sliding(2000), longNoCodegen: sliding(9000) },
        aggregates: {
          nNoCodegen: count(),
          avgNoCodegen: mean((x: Tx) => x.amount),
          seenNoCodegen: distinct((x: Tx) => x.merchant),
        },
        eventTime,
      });
    // Without code generation (a CSP without 'unsafe-eval'), the objects are built by loops.
    vi.stubGlobal('Function', () => {
      throw new EvalError('code generation from strings disallowed');
    });
    const loops = build();
    vi.unstubAllGlobals();
    const generated = build();
    const [h1, h2] = [testHarness(), testHarness()];
    for (let i = 0; i < 40; i++) {
      const x = tx(1000 + i * 700 - (i % 7 === 3 ? 1500 : 0), i % 5, `m${i % 4}`);
      const a = one(loops.process(x, h1.ctx(`k${i % 3}`, 0)));
      const b = one(generated.process(x, h2.ctx(`k${i % 3}`, 0)));
      expect(a).toEqual(b);
      expect(Object.keys(a.aggregates)).toEqual(['shortNoCodegen', 'longNoCodegen']);
      expect(Object.keys(a.windows)).toEqual(['shortNoCodegen', 'longNoCodegen']);
      expect(Object.keys(a.aggregates.longNoCodegen)).toEqual([
        'nNoCodegen',
        'avgNoCodegen',
        'seenNoCodegen',
      ]);
    }
  });
});
