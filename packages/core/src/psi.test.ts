import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binCounts, psi, quantileEdges } from './psi.js';

describe('psi', () => {
  it('is 0 for identical distributions and matches a hand computation', () => {
    expect(psi([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 12);
    // (0.5-0.25)ln(2) + (0.5-0.75)ln(2/3)
    expect(psi([25, 75], [50, 50])).toBeCloseTo(0.25 * Math.log(2) - 0.25 * Math.log(2 / 3), 12);
  });

  it('is never negative (property)', () => {
    const counts = fc.array(fc.nat(1000), { minLength: 3, maxLength: 3 });
    fc.assert(fc.property(counts, counts, (a, b) => psi(a, b) >= -1e-12));
  });

  it('bins values at quantile edges', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i);
    const edges = quantileEdges(sorted, 4);
    expect(edges).toEqual([-Number.MIN_VALUE, 25, 50, 75]);
    expect(binCounts(sorted, edges)).toEqual([0, 26, 25, 25, 24]);
    expect(binCounts([-1, -0.5], edges)).toEqual([2, 0, 0, 0, 0]);
    // A constant reference still separates values below, at and above it.
    const constant = quantileEdges([1, 1, 1, 1], 10);
    expect(constant).toEqual([1 - Number.EPSILON / 2, 1]);
    expect(binCounts([0, 0.5, 1, 2], constant)).toEqual([2, 1, 1]);
    // Few distinct values: one bin each, however skewed the reference.
    const skewed = quantileEdges([0, 0.5, ...Array<number>(98).fill(1)], 10);
    expect(skewed).toEqual([-Number.MIN_VALUE, 0, 0.5, 1]);
    expect(binCounts([0, 0, 0.5, 1], skewed)).toEqual([0, 2, 1, 1, 0]);
  });
});
