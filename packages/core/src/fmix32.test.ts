import { describe, expect, it } from 'vitest';
import { fmix32 } from './fmix32.js';

describe('fmix32', () => {
  it('is MurmurHash3 finaliser: 0 stays 0, 1 becomes 0x514e28b7, unsigned', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(-1)).toBe(fmix32(0xffffffff));
    expect(fmix32(-1)).toBeGreaterThan(0);
  });

  it('spreads consecutive inputs over the top bits', () => {
    // A counter's top 4 bits are all 0; after mixing, 16 000 values fill the 16 buckets evenly.
    const buckets = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) buckets[fmix32(i) >>> 28]! += 1;
    for (const n of buckets) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });
});
