import { describe, expect, it } from 'vitest';
import { featureVector } from './featureVector.js';

describe('featureVector', () => {
  it('discovers numeric columns in first-seen order and keeps it', () => {
    const fv = featureVector({ exclude: ['label'] });
    expect([...fv.assemble({ b: 2, a: 1, id: 'x', label: 1 })]).toEqual([2, 1]);
    expect(fv.names()).toEqual(['b', 'a']);
    expect([...fv.assemble({ a: 5, c: true, b: 6 })]).toEqual([6, 5, 1]);
    expect(fv.names()).toEqual(['b', 'a', 'c']);
  });

  it('uses fixed columns, expands arrays and fills or rejects missing values', () => {
    const fv = featureVector({ columns: ['x', 'h'], missing: 0 });
    expect([...fv.assemble({ h: new Float64Array([1, 2, 3]), x: 7, other: 9 })]).toEqual([
      7, 1, 2, 3,
    ]);
    expect(fv.names()).toEqual(['x', 'h[0]', 'h[1]', 'h[2]']);
    expect([...fv.assemble({ h: null, x: Number.NaN })]).toEqual([0, 0, 0, 0]);
    expect(() => fv.assemble({ x: 1, h: [1, 2] })).toThrow(
      expect.objectContaining({ code: 'FEATURE_SHAPE_MISMATCH' }),
    );
    const strict = featureVector({ columns: ['x', 'y'] });
    expect(() => strict.assemble({ x: 1 })).toThrow(
      expect.objectContaining({ code: 'FEATURE_MISSING', details: { missing: ['y'] } }),
    );
    expect(() => strict.assemble({ x: 1, y: 'text' })).toThrow(
      expect.objectContaining({ code: 'FEATURE_NOT_NUMERIC' }),
    );
  });

  it('as a stage outputs the value, the vector and the names; snapshot keeps the order', () => {
    const fv = featureVector<{ f: Record<string, number>; id: string }>({ select: (v) => v.f });
    const out = fv.process({ f: { q: 1, p: 2 }, id: 'a' }, {} as never);
    expect(out.value.id).toBe('a');
    expect([...out.x]).toEqual([1, 2]);
    expect(out.names).toEqual(['q', 'p']);
    const copy = featureVector<{ f: Record<string, number>; id: string }>({ select: (v) => v.f });
    copy.restore(JSON.parse(JSON.stringify(fv.snapshot())));
    expect([...copy.assemble({ p: 20, q: 10 })]).toEqual([10, 20]);
    expect(() => copy.restore({ columns: [['a', 'b']] })).toThrow(
      expect.objectContaining({ code: 'FEATURE_SNAPSHOT_INVALID' }),
    );
  });
});
