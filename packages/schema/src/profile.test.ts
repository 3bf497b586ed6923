import { describe, expect, it } from 'vitest';
import { fakeContext } from './internal/testing/fakeContext.js';
import { readCsv } from './internal/testing/readCsv.js';
import { thrown } from './internal/testing/thrown.js';
import type { InputDriftEvent } from './profile.js';
import { profile } from './profile.js';

const elec = (file: string) =>
  readCsv(file).map((r) => ({
    nswprice: Number(r.nswprice),
    nswdemand: Number(r.nswdemand),
    day: r.day,
    class: r.class,
  }));

function mean(xs: number[]) {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe('profile', () => {
  it('passes values through and reports exact moments, nulls and top values', () => {
    const stage = profile<{ x: number | null; c: string }>({
      window: { records: 100 },
      buckets: 4,
    });
    const ctx = fakeContext();
    const values = [1, 2, 3, 4, null, 6, 7, 8];
    for (const [i, x] of values.entries()) {
      const v = { x, c: i % 3 === 0 ? 'a' : 'b' };
      expect(stage.process(v, ctx)).toBe(v);
    }
    const r = stage.report();
    expect(r.records).toBe(8);
    const x = r.fields.x!;
    expect(x).toMatchObject({ count: 8, nulls: 1, nullRate: 1 / 8, distinct: 7 });
    const nums = [1, 2, 3, 4, 6, 7, 8];
    const m = mean(nums);
    const std = Math.sqrt(nums.reduce((a, v) => a + (v - m) ** 2, 0) / (nums.length - 1));
    expect(x.numeric).toMatchObject({ count: 7, min: 1, max: 8 });
    expect(x.numeric!.mean).toBeCloseTo(m, 12);
    expect(x.numeric!.std).toBeCloseTo(std, 12);
    expect(r.fields.c!.top).toEqual([
      { value: 'b', count: 5 },
      { value: 'a', count: 3 },
    ]);
    // The report is plain data: it can be saved and loaded as a reference.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('slides: only the last buckets of the window count', () => {
    const stage = profile<{ v: number }>({ window: { records: 100 }, buckets: 10 });
    const ctx = fakeContext();
    for (let i = 0; i < 1000; i++) stage.process({ v: i }, ctx);
    const r = stage.report();
    // 10 buckets of 10 records: the last 100 records exactly.
    expect(r.records).toBe(100);
    expect(r.fields.v!.numeric).toMatchObject({ min: 900, max: 999, count: 100 });
    stage.process({ v: 1000 }, ctx);
    // A new bucket opened and the oldest one left.
    expect(stage.report().fields.v!.numeric).toMatchObject({ min: 910, max: 1000, count: 91 });
  });

  it('slides over event time with a time window', () => {
    const stage = profile<{ v: number }>({ window: { ms: 10_000 }, buckets: 10 });
    const ctx = fakeContext();
    for (let t = 0; t < 60_000; t += 100) stage.process({ v: t }, ctx.at(t));
    const r = stage.report();
    expect(r.from).toBe(50_000);
    expect(r.to).toBe(59_900);
    expect(r.fields.v!.numeric!.min).toBe(50_000);
    // A record older than the window is counted as late, not profiled.
    stage.process({ v: -1 }, ctx.at(1_000));
    expect(ctx.counters['profile.late']).toBe(1);
    expect(stage.report().fields.v!.numeric!.min).toBe(50_000);
  });

  it('profiles real Elec2 rows: moments match a direct computation, distinct is close', () => {
    const rows = elec('elec2-head.csv');
    const stage = profile({ window: { records: 5000 } });
    const ctx = fakeContext();
    for (const row of rows) stage.process(row, ctx);
    const r = stage.report();
    const prices = rows.map((x) => x.nswprice);
    const p = r.fields.nswprice!.numeric!;
    expect(p.min).toBe(Math.min(...prices));
    expect(p.max).toBe(Math.max(...prices));
    expect(p.mean).toBeCloseTo(mean(prices), 10);
    const exactDistinct = new Set(prices).size;
    expect(Math.abs(r.fields.nswprice!.distinct - exactDistinct) / exactDistinct).toBeLessThan(
      0.05,
    );
    expect(r.fields.day!.distinct).toBe(7);
    const up = rows.filter((x) => x.class === 'UP').length;
    expect(r.fields.class!.categorical!.values).toEqual({ UP: up, DOWN: 2000 - up });
    expect(r.fields.nswprice!.numeric!.sample).toHaveLength(1000);
  });

  it('restores from a snapshot and carries on identically', () => {
    const rows = elec('elec2-head.csv');
    const a = profile({ window: { records: 1000 }, seed: 7 });
    const ctx = fakeContext();
    for (const row of rows.slice(0, 1500)) a.process(row, ctx);
    const b = profile({ window: { records: 1000 }, seed: 7 });
    b.restore!(JSON.parse(JSON.stringify(a.snapshot!())));
    for (const row of rows.slice(1500)) {
      a.process(row, ctx);
      b.process(row, ctx);
    }
    const ra = a.report();
    const rb = b.report();
    expect(rb.records).toBe(ra.records);
    expect(rb.fields.nswprice!.numeric!.mean).toBe(ra.fields.nswprice!.numeric!.mean);
    expect(rb.fields.nswprice!.distinct).toBe(ra.fields.nswprice!.distinct);
    expect(rb.fields.class!.top).toEqual(ra.fields.class!.top);
  });

  it('raises a drift event when real Elec2 prices move, and none on the same period', () => {
    const head = elec('elec2-head.csv');
    const refStage = profile({ window: { records: 1000 } });
    const ctx = fakeContext();
    for (const row of head.slice(0, 1000)) refStage.process(row, ctx);
    const reference = JSON.parse(JSON.stringify(refStage.report()));

    // Replaying the reference period itself raises nothing.
    const calm: InputDriftEvent[] = [];
    const same = profile({
      window: { records: 1000 },
      drift: { reference, fields: ['nswprice', 'class'], onDrift: (e) => calm.push(e) },
    });
    for (const row of head.slice(0, 1000)) same.process(row, ctx);
    expect(calm).toEqual([]);
    expect(same.lastDrift()?.fields.map((f) => f.field)).toEqual(['nswprice', 'class']);

    // Two years later, normalised prices sit far higher: the price distribution drifted.
    const events: InputDriftEvent[] = [];
    const live = profile({
      window: { records: 1000 },
      drift: { reference, fields: ['nswprice'], onDrift: (e) => events.push(e) },
    });
    const liveCtx = fakeContext();
    for (const row of elec('elec2-late.csv')) live.process(row, liveCtx);
    expect(events.length).toBeGreaterThanOrEqual(1);
    const first = events[0]!;
    expect(first).toMatchObject({ type: 'drift', field: 'nswprice' });
    expect(first.result.psi).toBeGreaterThan(0.2);
    expect(first.result.ks).toBeGreaterThan(0.1);
    expect(first.result.pValue).toBeLessThan(1e-6);
    expect(liveCtx.counters['drift.nswprice']).toBe(1);
    expect(live.lastDrift()?.drifted).toBe(true);
  });

  it('fails fast on bad options', async () => {
    for (const [opts, name] of [
      [{ buckets: 0 }, '`buckets`'],
      [{ window: { records: 1.5 } }, '`window.records`'],
      [{ window: { ms: -1 } }, '`window.ms`'],
      [{ hllPrecision: 20 }, '`hllPrecision`'],
      [
        {
          drift: {
            reference: { version: 1, records: 0, from: null, to: null, fields: {} },
            psi: 0,
          },
        },
        '`psi`',
      ],
    ] as const) {
      const error = await thrown(() => profile(opts as never));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toContain(name);
    }
  });
});
