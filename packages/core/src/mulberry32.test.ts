import { describe, expect, it } from 'vitest';
import { mulberry32, mulberry32Step } from './mulberry32.js';

describe('mulberry32', () => {
  it('draws the same stream for a seed, as uint32 / 2^32', () => {
    const r = mulberry32(42);
    expect([r(), r(), r()].map((x) => x * 2 ** 32)).toEqual([2581720956, 1925393290, 3661312704]);
    const zero = mulberry32(0);
    expect([zero(), zero()].map((x) => x * 2 ** 32)).toEqual([1144304738, 1416247]);
  });

  it('steps a state the caller keeps exactly as the closure does', () => {
    const r = mulberry32(7);
    const state = { rng: 7 };
    for (let i = 0; i < 100; i++) expect(mulberry32Step(state)).toBe(r());
    expect(Number.isInteger(state.rng) && state.rng >= 0 && state.rng < 2 ** 32).toBe(true);
  });

  it('stays in [0, 1)', () => {
    const r = mulberry32(-1);
    for (let i = 0; i < 10_000; i++) {
      const x = r();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
