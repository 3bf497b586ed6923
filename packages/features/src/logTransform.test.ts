import { describe, expect, it } from 'vitest';
import { inputColumns } from './inputColumns.js';
import { logTransform } from './logTransform.js';
import { vectorize } from './vectorize.js';

describe('logTransform', () => {
  it('computes log(x + offset) / log(base)', () => {
    expect(logTransform().transform({ a: Math.E - 1 }).a).toBeCloseTo(1, 15);
    expect(logTransform({ offset: 0, base: 10 }).transform({ a: 1000 }).a).toBeCloseTo(3, 12);
    expect(logTransform({ fields: ['a'] }).transform({ a: 0, b: 5 })).toEqual({ a: 0, b: 5 });
  });

  it('throws FEATURE_OUT_OF_DOMAIN instead of emitting -Infinity', () => {
    expect(() => logTransform({ offset: 0 }).transform({ a: 0 })).toThrow(
      expect.objectContaining({ code: 'FEATURE_OUT_OF_DOMAIN' }),
    );
    expect(() => logTransform({ base: 1 })).toThrow(/base/);
  });

  it('takes the logarithm once in the row form, also while learning', () => {
    const v = vectorize([inputColumns(['a']), logTransform()]);
    expect(v.learn({ a: Math.E - 1 })[0]).toBeCloseTo(1, 15);
    expect(v.transform({ a: Math.E - 1 })[0]).toBeCloseTo(1, 15);
  });
});
