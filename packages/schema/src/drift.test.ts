import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drift } from './drift.js';
import { seededRandom } from './internal/random.js';
import { ksTest } from './ksTest.js';
import type { FieldProfile, ProfileReport } from './profileReport.js';
import { binCounts, psi, quantileEdges } from './psi.js';

function normal(random: () => number, mu: number, sigma: number): number {
  const u = 1 - random();
  const v = random();
  return mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function numericReport(sample: number[]): ProfileReport {
  const field: FieldProfile = {
    count: sample.length,
    nulls: 0,
    nullRate: 0,
    distinct: sample.length,
    top: [],
    numeric: { count: sample.length, min: 0, max: 0, mean: 0, std: 0, sample },
    categorical: null,
  };
  return { version: 1, records: sample.length, from: null, to: null, fields: { x: field } };
}

function categoricalReport(values: Record<string, number>): ProfileReport {
  const count = Object.values(values).reduce((a, b) => a + b, 0);
  const field: FieldProfile = {
    count,
    nulls: 0,
    nullRate: 0,
    distinct: Object.keys(values).length,
    top: [],
    numeric: null,
    categorical: { count, values, other: 0 },
  };
  return { version: 1, records: count, from: null, to: null, fields: { c: field } };
}

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
    expect(edges).toEqual([25, 50, 75]);
    expect(binCounts(sorted, edges)).toEqual([26, 25, 25, 24]);
  });
});

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
    const r = seededRandom(42);
    const a = Array.from({ length: 2000 }, () => normal(r, 0, 1));
    const b = Array.from({ length: 2000 }, () => normal(r, 0, 1));
    const c = Array.from({ length: 2000 }, () => normal(r, 0.3, 1));
    expect(ksTest(a, b).pValue).toBeGreaterThan(0.01);
    expect(ksTest(a, c).pValue).toBeLessThan(1e-6);
  });
});

describe('drift', () => {
  it('flags a shifted numeric field and not a stable one', () => {
    const r = seededRandom(3);
    const ref = numericReport(Array.from({ length: 1000 }, () => normal(r, 0, 1)));
    const same = numericReport(Array.from({ length: 1000 }, () => normal(r, 0, 1)));
    const moved = numericReport(Array.from({ length: 1000 }, () => normal(r, 1, 1)));
    expect(drift(ref, same).drifted).toBe(false);
    const d = drift(ref, moved);
    expect(d.drifted).toBe(true);
    expect(d.fields[0]).toMatchObject({ field: 'x', kind: 'numeric', crossed: ['psi', 'ks'] });
  });

  it('flags a categorical mix change by PSI', () => {
    const ref = categoricalReport({ a: 500, b: 500 });
    expect(drift(ref, categoricalReport({ a: 480, b: 520 })).drifted).toBe(false);
    const d = drift(ref, categoricalReport({ a: 200, b: 700, c: 100 }));
    expect(d.fields[0]).toMatchObject({ kind: 'categorical', drifted: true, ks: null });
  });

  it('skips fields with too few values or missing on one side', () => {
    const ref = numericReport([1, 2, 3]);
    expect(drift(ref, ref).skipped).toEqual([
      { field: 'x', reason: 'fewer than 100 numeric values' },
    ]);
    expect(drift(ref, ref, { fields: ['y'] }).skipped).toEqual([
      { field: 'y', reason: 'missing in the reference profile' },
    ]);
  });
});
