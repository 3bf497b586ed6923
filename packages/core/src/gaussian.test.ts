import { describe, expect, it } from 'vitest';
import { gaussian } from './gaussian.js';
import { mulberry32 } from './mulberry32.js';

describe('gaussian', () => {
  it('draws mean 0 and variance 1 from a seeded uniform stream, the same for a seed', () => {
    const r = mulberry32(1);
    const xs = Array.from({ length: 20_000 }, () => gaussian(r));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const again = mulberry32(1);
    expect(gaussian(again)).toBe(xs[0]);
  });

  it('takes u = 1 − the first draw and v = the second', () => {
    const draws = [0.5, 0];
    expect(gaussian(() => draws.shift() ?? Number.NaN)).toBe(Math.sqrt(2 * Math.LN2));
    const quarter = [0.5, 0.5];
    expect(gaussian(() => quarter.shift() ?? Number.NaN)).toBe(-Math.sqrt(2 * Math.LN2));
  });
});
