import { describe, expect, it } from 'vitest';
import { hash32, hllAdd, hllCreate, hllEstimate, hllMerge } from './hyperLogLog.js';

describe('hyperLogLog', () => {
  it('estimates distinct counts within a few standard errors', () => {
    for (const n of [10, 1_000, 50_000]) {
      const regs = hllCreate(12);
      // Each item twice: duplicates must not count.
      for (let i = 0; i < n; i++) {
        hllAdd(regs, hash32(`item-${i}`));
        hllAdd(regs, hash32(`item-${i}`));
      }
      // Standard error at p = 12 is 1.6%; allow 4 of them.
      expect(Math.abs(hllEstimate(regs) - n) / n).toBeLessThan(n < 100 ? 0.1 : 0.065);
    }
  });

  it('merges sketches of overlapping sets like their union', () => {
    const a = hllCreate(12);
    const b = hllCreate(12);
    for (let i = 0; i < 6000; i++) hllAdd(a, hash32(`x${i}`));
    for (let i = 3000; i < 9000; i++) hllAdd(b, hash32(`x${i}`));
    hllMerge(a, b);
    expect(Math.abs(hllEstimate(a) - 9000) / 9000).toBeLessThan(0.065);
  });
});
