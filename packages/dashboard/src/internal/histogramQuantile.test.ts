import { describe, expect, it } from 'vitest';
import { histogramQuantile } from './histogramQuantile.js';

const h = (counts: number[]) => ({
  bounds: [1, 10, 100],
  counts,
  sum: 0,
  count: counts.reduce((a, b) => a + b, 0),
});

describe('histogramQuantile', () => {
  it('interpolates inside the bucket holding the rank', () => {
    // 10 observations: 4 in (0, 1], 6 in (1, 10]; the median is 1/6 into the second bucket.
    expect(histogramQuantile(h([4, 6, 0, 0]), undefined, 0.5)).toBeCloseTo(1 + 9 / 6);
    expect(histogramQuantile(h([4, 6, 0, 0]), undefined, 0.2)).toBeCloseTo(0.5);
  });

  it('looks only at observations since the earlier snapshot', () => {
    // Before: 100 fast ones. Since: 10 in (10, 100].
    const q = histogramQuantile(h([100, 0, 10, 0]), h([100, 0, 0, 0]), 0.99);
    expect(q).toBeGreaterThan(10);
    expect(q).toBeLessThanOrEqual(100);
  });

  it('gives the last bound for the overflow bucket and undefined without observations', () => {
    expect(histogramQuantile(h([0, 0, 0, 3]), undefined, 0.5)).toBe(100);
    expect(histogramQuantile(h([5, 0, 0, 0]), h([5, 0, 0, 0]), 0.5)).toBeUndefined();
  });
});
