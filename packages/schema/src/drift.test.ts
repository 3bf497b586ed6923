import { gaussian, mulberry32 } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { drift } from './drift.js';
import { fakeContext } from './internal/testing/fakeContext.js';
import { readCsv } from './internal/testing/readCsv.js';
import { profile } from './profile.js';
import type { FieldProfile, ProfileReport } from './profileReport.js';

const normal = (random: () => number, mu: number, sigma: number) => mu + sigma * gaussian(random);

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
