import { describe, expect, it } from 'vitest';
import { clip } from './clip.js';

describe('clip', () => {
  it('clamps numeric fields into [min, max]', () => {
    const c = clip({ min: 0, max: 10 });
    expect(c.transform({ a: -3, b: 4, c: 99, d: 'x' })).toEqual({ a: 0, b: 4, c: 10, d: 'x' });
    expect(clip({ max: 1, fields: ['a'] }).transform({ a: 5, b: 5 })).toEqual({ a: 1, b: 5 });
    expect(c.snapshot().state).toBeNull();
  });

  it('needs a bound and min <= max', () => {
    expect(() => clip({})).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => clip({ min: 2, max: 1 })).toThrow(/max/);
  });
});
