import { describe, expect, it } from 'vitest';
import { imputer } from './imputer.js';

describe('imputer', () => {
  it('fills with the running mean, 0 before any value (as River)', () => {
    const imp = imputer({ fields: { a: 'mean' } });
    expect(imp.learnTransform({ a: null })).toEqual({ a: 0 });
    imp.learn({ a: 1 });
    imp.learn({ a: 2 });
    imp.learn({ a: 6 });
    expect(imp.transform({ a: Number.NaN })).toEqual({ a: 3 });
    expect(imp.transform({})).toEqual({ a: 3 });
    expect(imp.transform({ a: 10 })).toEqual({ a: 10 });
  });

  it('fills with the mode (first seen wins ties), keeping the value type', () => {
    const imp = imputer({ fields: { c: 'mode' } });
    expect(imp.transform({ c: null })).toEqual({ c: null }); // nothing seen yet
    for (const c of ['b', 'a', 'a', 'b', 1]) imp.learn({ c });
    expect(imp.transform({ c: undefined })).toEqual({ c: 'b' });
    imp.learn({ c: 1 });
    imp.learn({ c: 1 });
    expect(imp.transform({ c: null })).toEqual({ c: 1 });
  });

  it('fills constants and leaves other fields alone', () => {
    const imp = imputer<{ a: number | null; b: string | null; z: string | null }>({
      fields: { a: { constant: -1 }, b: { constant: 'none' } },
    });
    expect(imp.learnTransform({ a: null, b: null, z: null })).toEqual({
      a: -1,
      b: 'none',
      z: null,
    });
  });

  it('snapshots and restores mean and mode state', () => {
    const imp = imputer({ fields: { a: 'mean', c: 'mode', k: { constant: 0 } } });
    for (const [a, c] of [
      [2, 'x'],
      [4, 'y'],
      [9, 'y'],
    ] as const)
      imp.learn({ a, c });
    const copy = imputer({ fields: { a: 'mean', c: 'mode', k: { constant: 0 } } });
    copy.restore(JSON.parse(JSON.stringify(imp.snapshot())));
    expect(copy.transform({ a: null, c: null, k: null })).toEqual({ a: 5, c: 'y', k: 0 });
    expect(() => imputer({ fields: { a: 'median' as 'mean' } })).toThrow(/fields.a/);
    expect(() => imp.learn({ a: 'x' })).toThrow(
      expect.objectContaining({ code: 'FEATURE_NOT_NUMERIC' }),
    );
  });
});
