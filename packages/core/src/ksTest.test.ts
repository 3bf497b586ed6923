import { describe, expect, it } from 'vitest';
import { gaussian } from './gaussian.js';
import { ksPValueEqualSizes, ksStatistic, ksTest } from './ksTest.js';
import { mulberry32 } from './mulberry32.js';

const normal = (random: () => number, mu: number, sigma: number) => mu + sigma * gaussian(random);

describe('ksTest', () => {
  it('gives D = 1 for disjoint samples and 0 for equal ones', () => {
    expect(ksTest([1, 2, 3], [4, 5, 6]).statistic).toBe(1);
    expect(ksTest([1, 2, 3], [3, 2, 1])).toEqual({ statistic: 0, pValue: 1 });
  });

  it('matches scipy.stats.ks_2samp on a small case', () => {
    // scipy: ks_2samp([1,2,3,4,5],[3,4,5,6,7,8]).statistic == 0.5
    expect(ksTest([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]).statistic).toBeCloseTo(0.5, 12);
  });

  it('keeps p-values high for samples of one distribution and low for a shifted one', () => {
    const r = mulberry32(42);
    const a = Array.from({ length: 2000 }, () => normal(r, 0, 1));
    const b = Array.from({ length: 2000 }, () => normal(r, 0, 1));
    const c = Array.from({ length: 2000 }, () => normal(r, 0.3, 1));
    expect(ksTest(a, b).pValue).toBeGreaterThan(0.01);
    expect(ksTest(a, c).pValue).toBeLessThan(1e-6);
  });

  it('computes exact KS p-values as SciPy does for equal sizes', () => {
    const a = Array.from({ length: 30 }, (_, i) => i);
    const b = Array.from({ length: 30 }, (_, i) => i + 15);
    expect(ksStatistic(a, b)).toBe(0.5);
    // scipy.stats.ks_2samp(range(30), range(15, 45)).pvalue
    expect(ksPValueEqualSizes(30, 0.5)).toBeCloseTo(0.0008995776840176799, 15);
    expect(ksPValueEqualSizes(30, 1) / 1.6911233892144742e-17).toBeCloseTo(1, 10);
    expect(ksPValueEqualSizes(30, 0)).toBe(1);
    expect(ksStatistic([1, 2, 3], [1, 2, 3])).toBe(0);
  });
});
