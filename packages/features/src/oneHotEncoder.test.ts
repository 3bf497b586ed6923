import { describe, expect, it } from 'vitest';
import { imputer } from './imputer.js';
import { oneHotEncoder } from './oneHotEncoder.js';
import { standardScaler } from './standardScaler.js';
import { vectorize } from './vectorize.js';

interface Tx {
  color: string | null;
  size: string;
  amount: number;
}

describe('oneHotEncoder', () => {
  it('grows its vocabulary online and emits every known column', () => {
    const enc = oneHotEncoder<Tx, 'color'>({ fields: ['color'] });
    expect(enc.learnTransform({ color: 'red', size: 'S', amount: 1 })).toEqual({
      size: 'S',
      amount: 1,
      'color=red': 1,
      'color=__unknown__': 0,
    });
    const out = enc.learnTransform({ color: 'blue', size: 'M', amount: 2 });
    expect(out).toEqual({
      size: 'M',
      amount: 2,
      'color=red': 0,
      'color=blue': 1,
      'color=__unknown__': 0,
    });
    // typed output: the one-hot columns are numbers, the other fields keep their types
    const red: number | undefined = out['color=red'];
    const size: string = out.size;
    expect([red, size]).toEqual([0, 'M']);
    expect(enc.columns()).toEqual(['color=red', 'color=blue', 'color=__unknown__']);
  });

  it('sends categories beyond maxCategories, and unseen ones when frozen, to the unknown bucket', () => {
    const enc = oneHotEncoder({ fields: ['c'], maxCategories: 2, unknown: 'other' });
    enc.learn({ c: 'a' });
    enc.learn({ c: 'b' });
    expect(enc.learnTransform({ c: 'z' })).toEqual({ 'c=a': 0, 'c=b': 0, 'c=other': 1 });
    const frozen = oneHotEncoder({ fields: ['c'], learn: false });
    frozen.restore(enc.snapshot());
    expect(frozen.process({ c: 'b' }, {} as never)).toEqual({
      'c=a': 0,
      'c=b': 1,
      'c=__unknown__': 0,
    });
    expect(frozen.process({ c: 'new' }, {} as never)).toEqual({
      'c=a': 0,
      'c=b': 0,
      'c=__unknown__': 1,
    });
    expect(frozen.columns()).toEqual(['c=a', 'c=b', 'c=__unknown__']);
  });

  it('sets no column for a missing value and compares values as text', () => {
    const enc = oneHotEncoder({ fields: ['c'] });
    enc.learn({ c: 1 });
    expect(enc.learnTransform({ c: '1' })).toEqual({ 'c=1': 1, 'c=__unknown__': 0 });
    expect(enc.learnTransform({ c: null })).toEqual({ 'c=1': 0, 'c=__unknown__': 0 });
    expect(enc.learnTransform({})).toEqual({ 'c=1': 0, 'c=__unknown__': 0 });
  });

  it('restores the same column order from JSON and rejects bad snapshots and options', () => {
    const enc = oneHotEncoder({ fields: ['a', 'b'] });
    for (const [a, b] of [
      ['x', 'p'],
      ['y', 'p'],
      ['x', 'q'],
    ])
      enc.learn({ a, b });
    const copy = oneHotEncoder({ fields: ['a', 'b'] });
    copy.restore(JSON.parse(JSON.stringify(enc.snapshot())));
    expect(copy.columns()).toEqual(['a=x', 'a=y', 'a=__unknown__', 'b=p', 'b=q', 'b=__unknown__']);
    expect(() => copy.restore({ kind: 'oneHotEncoder', version: 1, state: { a: [1] } })).toThrow(
      expect.objectContaining({ code: 'FEATURE_SNAPSHOT_INVALID' }),
    );
    expect(() => oneHotEncoder({ fields: [] })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => oneHotEncoder({ fields: ['a'], maxCategories: 0 })).toThrow(/maxCategories/);
  });

  it('row form: a number finds its text category, as String() would ("1" and 1 are one)', () => {
    const categories = { c: ['1', '01', '0', 'x', 'true'] };
    const v = vectorize([oneHotEncoder({ fields: ['c'], categories })]);
    const obj = oneHotEncoder({ fields: ['c'], categories });
    for (const c of [1, '1', '01', 0, -0, '0', 'x', 1.5, true, Number.NaN, null, 'y']) {
      const o = obj.transform({ c }) as Record<string, number>;
      expect([...v.transform({ c })], String(c)).toEqual(v.names().map((n) => o[n]));
    }
    // 1 is "1", not "01"; -0 is "0"; 1.5 and 'y' are unknown; NaN and null set nothing.
    expect([...v.transform({ c: 1 })]).toEqual([1, 0, 0, 0, 0, 0]);
    expect([...v.transform({ c: -0 })]).toEqual([0, 0, 1, 0, 0, 0]);
    expect([...v.transform({ c: Number.NaN })]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('row form: each row it writes holds exactly its columns, whatever the order of calls', () => {
    // A growing vocabulary, missing inputs (vectorize then checks on a second row first) and
    // calls in every order; each result must equal the object forms, column by column.
    const steps = () =>
      [
        imputer<Rec>({ fields: { a: 'mean' } }),
        standardScaler<Rec>({ fields: ['a'] }),
        oneHotEncoder<Rec, 'c' | 'd'>({ fields: ['c', 'd'], maxCategories: 3 }),
      ] as const;
    type Rec = { a: number | null; c: unknown; d: unknown };
    const v = vectorize(steps());
    const [imp, sc, oh] = steps();
    const cs = ['x', 'y', 1, '1', null, 'z', 'w', 0, -0, true];
    const ds = [1, 2, '2', Number.NaN, 3, 4, undefined];
    let seed = 3;
    const rnd = (n: number) => {
      seed = (seed * 16807) % 2147483647;
      return seed % n;
    };
    const expectRow = (got: Float64Array, o: object, what: string) => {
      const rec = o as Record<string, number>;
      expect([...got], what).toEqual(v.names().map((n) => rec[n] ?? 0));
    };
    for (let t = 0; t < 600; t++) {
      const x: Rec = {
        a: rnd(5) === 0 ? null : rnd(100),
        c: cs[rnd(cs.length)],
        d: ds[rnd(ds.length)],
      };
      const op = rnd(3);
      if (op === 0) {
        expectRow(v.transform(x), oh.transform(sc.transform(imp.transform(x))), `transform ${t}`);
        continue;
      }
      if (op === 2) {
        const before = oh.transform(sc.transform(imp.transform(x)));
        expectRow(v.transformAndKeep(x), before, `transformAndKeep ${t}`);
      }
      imp.learn(x);
      const a = imp.transform(x);
      sc.learn(a);
      const b = sc.transform(a);
      oh.learn(b);
      expectRow(op === 2 ? v.learnDecoded(x) : v.learn(x), oh.transform(b), `learn ${t}`);
    }
    expect(v.names()).toContain('c=x');
  });
});
