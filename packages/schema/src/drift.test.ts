import { mulberry32 } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drift } from './drift.js';
import { fakeContext } from './internal/testing/fakeContext.js';
import { readCsv } from './internal/testing/readCsv.js';
import { ksTest } from './ksTest.js';
import { profile } from './profile.js';
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
});

describe('drift', () => {
  it('flags a shifted numeric field and not a stable one', () => {
    const r = mulberry32(3);
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

  describe('on the UCI Phishing records (discrete features 0 / 0.5 / 1)', () => {
    const rows = readCsv('phishing.csv.gz').map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])),
    );
    const report = (part: typeof rows) => {
      const stage = profile({ window: { records: 2000 } });
      const ctx = fakeContext();
      for (const r of part) stage.process(r, ctx);
      return stage.report();
    };

    it('raises no alarm between two halves of the (shuffled) file', () => {
      expect(rows).toHaveLength(1250);
      const d = drift(report(rows.slice(0, 625)), report(rows.slice(625)));
      expect(d.fields).toHaveLength(10);
      expect(d.drifted).toBe(false);
    });

    it('flags features whose mix differs between legitimate and phishing sites', () => {
      const legit = rows.filter((r) => r.is_phishing === 0);
      const phishing = rows.filter((r) => r.is_phishing === 1);
      expect(phishing).toHaveLength(548);
      const d = drift(report(legit), report(phishing));
      const flagged = d.fields.filter((f) => f.drifted).map((f) => f.field);
      expect(flagged).toContain('is_phishing');
      // The binned PSI catches a discrete shift as well as KS does.
      const form = d.fields.find((f) => f.field === 'empty_server_form_handler')!;
      expect(form.crossed).toEqual(['psi', 'ks']);
    });
  });
});
