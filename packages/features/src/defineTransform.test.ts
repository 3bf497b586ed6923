import { jsonSerde, memoryBus, pipeline, run, silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { compose, type VectorModel } from './compose.js';
import { defineTransform, type FieldTransformOptions } from './defineTransform.js';
import type { FeatureMap } from './featureMap.js';
import { inputColumns } from './inputColumns.js';
import type { Transform } from './transform.js';
import { type VectorizerSnapshot, vectorize } from './vectorize.js';

// User transforms, written as a user would against the public helper.

/** log1p of each numeric field (stateless). */
function log1p<T extends object = FeatureMap>(
  options: FieldTransformOptions<T> = {},
): Transform<T, T> {
  return defineTransform<T>({ kind: 'log1p', transform: (_, x) => Math.log1p(x) }, options);
}

/** x / max |x| seen so far (a number as state: `learn` returns the next one). */
function maxAbsScaler<T extends object = FeatureMap>(
  options: FieldTransformOptions<T> = {},
): Transform<T, T> {
  return defineTransform(
    {
      kind: 'maxAbsScaler',
      init: () => 0,
      learn: (m, x) => Math.max(m, Math.abs(x)),
      transform: (m, x) => (m === 0 ? x : x / m),
      isState: (s): s is number => typeof s === 'number' && s >= 0,
    },
    options,
  );
}

interface Bounds {
  lo: number;
  hi: number;
  n: number;
}

/**
 * Clips to running estimates of the `p` and `1 - p` quantiles (a stochastic approximation:
 * each value nudges the bounds by `step`); an object state, changed in place.
 */
function quantileClip<T extends object = FeatureMap>(
  options: FieldTransformOptions<T> & { p?: number; step?: number } = {},
): Transform<T, T> {
  const p = options.p ?? 0.1;
  const step = options.step ?? 1;
  return defineTransform(
    {
      kind: 'quantileClip',
      init: (): Bounds => ({ lo: 0, hi: 0, n: 0 }),
      learn(b, x) {
        if (b.n++ === 0) return { lo: x, hi: x, n: 1 };
        b.lo += x < b.lo ? -step * (1 - p) : step * p;
        b.hi += x > b.hi ? step * (1 - p) : -step * p;
        return b;
      },
      transform: (b, x) => (b.n === 0 ? x : Math.min(b.hi, Math.max(b.lo, x))),
      isState: (s): s is Bounds =>
        typeof s === 'object' && s !== null && ['lo', 'hi', 'n'].every((k) => k in s),
    },
    options,
  );
}

interface Rec {
  a: number;
  b: number | null;
  tag: string;
}

// A reproducible stream with a few outliers and missing values.
function records(n: number): Rec[] {
  let s = 11;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  return Array.from({ length: n }, (_, i) => ({
    a: (i % 17 === 0 ? 40 : 5) * (rnd() - 0.3),
    b: i % 5 === 0 ? null : 10 * rnd(),
    tag: `t${i % 3}`,
  }));
}

const rowOf = (r: Rec): number[] => [r.a, r.b ?? Number.NaN];

describe('defineTransform: a user transform in the object form', () => {
  it('maps each numeric field with its own state; other fields and missing values pass', () => {
    const t = maxAbsScaler<Rec>();
    expect(t.name).toBe('maxAbsScaler');
    expect(t.kind).toBe('maxAbsScaler');
    expect(t.transform({ a: 3, b: null, tag: 'x' })).toEqual({ a: 3, b: null, tag: 'x' });
    t.learn({ a: -4, b: 2, tag: 'x' });
    expect(t.learnTransform({ a: 2, b: 8, tag: 'y' })).toEqual({ a: 0.5, b: 1, tag: 'y' });
    expect(t.snapshot()).toEqual({ kind: 'maxAbsScaler', version: 1, state: { a: 4, b: 8 } });
    t.reset();
    expect(t.snapshot().state).toEqual({});
  });

  it('works on the listed fields only, with the package checks on their values', () => {
    const t = quantileClip<Rec>({ fields: ['a'] });
    t.learn({ a: 1, b: 100, tag: 'x' });
    expect(t.snapshot().state).toEqual({ a: { lo: 1, hi: 1, n: 1 } });
    expect(t.transform({ a: 5, b: 100, tag: 'x' })).toEqual({ a: 1, b: 100, tag: 'x' });
    const bad = { a: 'high', b: 1, tag: 'x' } as unknown as Rec;
    expect(() => t.learn(bad)).toThrow(expect.objectContaining({ code: 'FEATURE_NOT_NUMERIC' }));
    expect(() => t.learn({ a: Number.POSITIVE_INFINITY, b: 1, tag: 'x' })).toThrow(
      expect.objectContaining({ code: 'FEATURE_NOT_FINITE' }),
    );
    expect(t.snapshot().state).toEqual({ a: { lo: 1, hi: 1, n: 1 } });
  });

  it('is stateless without init: a null snapshot, and a restore that checks it', () => {
    const t = log1p();
    expect(t.learnTransform({ a: Math.E - 1, s: 'x' })).toEqual({ a: 1, s: 'x' });
    expect(t.snapshot()).toEqual({ kind: 'log1p', version: 1, state: null });
    t.restore({ kind: 'log1p', version: 1, state: null });
    expect(() => t.restore({ kind: 'log1p', version: 1, state: {} })).toThrow(
      expect.objectContaining({ code: 'FEATURE_SNAPSHOT_INVALID' }),
    );
  });

  it('snapshots deep copies and restores only its own kind and state shape', () => {
    const t = quantileClip<Rec>();
    for (const r of records(50)) t.learn(r);
    const snap = t.snapshot();
    t.learn({ a: 1000, b: 1000, tag: 'x' });
    expect(snap).not.toEqual(t.snapshot());
    const u = quantileClip<Rec>();
    u.restore(snap);
    t.restore(snap);
    expect(u.snapshot()).toEqual(t.snapshot());
    for (const r of records(10)) expect(u.transform(r)).toEqual(t.transform(r));
    const invalid = { code: 'FEATURE_SNAPSHOT_INVALID' };
    expect(() => u.restore({ ...snap, kind: 'maxAbsScaler' })).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() => u.restore({ ...snap, state: { a: 3 } })).toThrow(expect.objectContaining(invalid));
    expect(u.snapshot()).toEqual(t.snapshot());
  });

  it('as a stage learns then transforms, unless learn: false', () => {
    const ctx = {} as never;
    const live = maxAbsScaler<Rec>({ name: 'scale' });
    expect(live.name).toBe('scale');
    expect(live.process({ a: 2, b: 4, tag: 'x' }, ctx)).toEqual({ a: 1, b: 1, tag: 'x' });
    const frozen = maxAbsScaler<Rec>({ learn: false });
    frozen.restore(live.snapshot());
    expect(frozen.process({ a: 8, b: 1, tag: 'x' }, ctx)).toEqual({ a: 4, b: 0.25, tag: 'x' });
    expect(frozen.snapshot().state).toEqual({ a: 2, b: 4 });
  });

  it('rejects an incomplete impl and bad options as INVALID_OPTION', () => {
    const bad = expect.objectContaining({ code: 'INVALID_OPTION' });
    const transform = (_: null, x: number) => x;
    expect(() => defineTransform({ kind: '', transform })).toThrow(bad);
    expect(() => defineTransform({ kind: 'k', transform: 1 as never })).toThrow(bad);
    expect(() => defineTransform({ kind: 'k', init: () => 0, transform })).toThrow(/isState/);
    expect(() => defineTransform({ kind: 'k', learn: () => 0, transform })).toThrow(/init/);
    expect(() => log1p({ fields: [] as never[] })).not.toThrow();
    expect(() => log1p({ fields: ['a', 'a'] as never[] })).toThrow(bad);
    expect(() => log1p({ learn: 'yes' as never })).toThrow(bad);
  });
});

describe('defineTransform: the same transform in the row form', () => {
  it('gives in vectorize what the object form gives, learning the same', () => {
    for (const make of [log1p<Rec>, maxAbsScaler<Rec>, quantileClip<Rec>]) {
      const obj = make({ fields: ['a', 'b'] });
      const v = vectorize([make({ fields: ['a', 'b'] })]);
      expect(v.names()).toEqual(['a', 'b']);
      // log1p's domain, and no missing value (vectorize would reject the row).
      for (const r of records(200).filter((r) => r.a > -1 && r.b !== null)) {
        const want = obj.learnTransform(r);
        const got = Array.from(v.learn(r));
        expect(got[0]).toBeCloseTo(want.a, 12);
        expect(got[1]).toBeCloseTo(want.b as number, 12);
      }
      expect(v.snapshot().steps[0]).toEqual(obj.snapshot());
    }
  });

  it('works on the input columns declared before it when no fields are given', () => {
    const v = vectorize([inputColumns(['a']), maxAbsScaler()]);
    v.learn({ a: -5 });
    expect(Array.from(v.transform({ a: 2.5 }))).toEqual([0.5]);
    expect(() => vectorize([maxAbsScaler()])).toThrow(/fields/);
  });

  it('restores from the object form and back', () => {
    const obj = quantileClip<Rec>({ fields: ['a', 'b'] });
    for (const r of records(80)) obj.learn(r);
    const v = vectorize([quantileClip<Rec>({ fields: ['a', 'b'] })]);
    v.restore({ kind: 'vectorize', version: 1, names: [], steps: [obj.snapshot()] });
    const r = { a: 100, b: -100, tag: 'x' };
    expect(Array.from(v.transform(r))).toEqual(rowOf(obj.transform(r)));
    v.learn({ a: 3, b: 4, tag: 'x' });
    obj.learn({ a: 3, b: 4, tag: 'x' });
    const back = quantileClip<Rec>({ fields: ['a', 'b'] });
    back.restore(v.snapshot().steps[0]);
    expect(back.snapshot()).toEqual(obj.snapshot());
    // A bad entry leaves the row form as it was.
    const before = v.snapshot();
    expect(() =>
      v.restore({ ...before, steps: [{ kind: 'quantileClip', version: 1, state: { a: 1 } }] }),
    ).toThrow(expect.objectContaining({ code: 'FEATURE_SNAPSHOT_INVALID' }));
    expect(v.snapshot()).toEqual(before);
    v.reset();
    expect(v.snapshot().steps[0]?.state).toEqual({});
  });

  it('feeds a composed model the transformed rows', () => {
    const seen: number[][] = [];
    const spy: VectorModel<number, number> = {
      predict: (x) => x[0]!,
      learn: (x) => void seen.push(Array.from(x)),
      snapshot: () => null,
      restore() {},
      clone: () => spy,
    };
    const c = compose(inputColumns(['a', 'b']), maxAbsScaler(), log1p({ fields: ['b'] }), spy);
    c.learn({ a: -2, b: 0 }, 0);
    c.learn({ a: 1, b: 4 }, 0);
    expect(seen).toEqual([
      [-1, 0],
      [0.5, Math.log1p(1)],
    ]);
    expect(c.predict({ a: 4, b: 2 })).toBe(2); // a / max |a| = 4 / 2
    const steps = c.snapshot().state.steps as VectorizerSnapshot;
    expect(steps.steps.map((s) => s.kind)).toEqual(['inputColumns', 'maxAbsScaler', 'log1p']);
  });
});

describe('defineTransform: a user transform as a pipeline stage', () => {
  it('runs on memoryBus, its statistics learned from every record', async () => {
    const bus = memoryBus();
    const input = records(120);
    const serde = jsonSerde<Rec>();
    bus.produce(
      'in',
      input.map((value) => ({ value })),
      { serde },
    );
    const stage = quantileClip<Rec>({ fields: ['a'], name: 'clipA' });
    const summary = await run(
      pipeline(bus.source({ topic: 'in', group: 'g', serde, stopAtEnd: true }))
        .pipe(stage)
        .to(bus.sink({ topic: 'out', serde })),
      { logger: silentLogger },
    ).done;
    expect(summary.metrics.steps.clipA).toMatchObject({ in: 120, out: 120 });
    const direct = quantileClip<Rec>({ fields: ['a'] });
    const out = bus.records('out', serde).map((r) => r.value);
    expect(out).toEqual(input.map((r) => JSON.parse(JSON.stringify(direct.learnTransform(r)))));
    expect(stage.snapshot()).toEqual(direct.snapshot());
  });
});
