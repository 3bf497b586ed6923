import { binCounts, invalidOption, ksTest, psi, quantileEdges } from '@tributary/core';
import type { FieldProfile, ProfileReport } from './profileReport.js';

/** Thresholds of {@link drift}. */
export interface DriftOptions {
  /** PSI at or above which a field has drifted. Default 0.2 ("significant shift"). */
  readonly psi?: number;
  /** KS statistic (max CDF distance) at or above which a numeric field has drifted. Default 0.1. */
  readonly ks?: number;
  /** Quantile bins of numeric fields for PSI, from the reference sample. Default 10. */
  readonly bins?: number;
  /** Fewer non-null values than this on either side: the field is skipped. Default 100. */
  readonly minCount?: number;
  /** Fields to compare. Default: every field of the reference. */
  readonly fields?: readonly string[];
}

/** How one field compares with the reference. */
export interface FieldDrift {
  /** The field's path. */
  readonly field: string;
  /** How the field was profiled and compared. */
  readonly kind: 'numeric' | 'categorical';
  /** Population stability index of the current distribution against the reference. */
  readonly psi: number;
  /** KS statistic and p-value (numeric fields only). */
  readonly ks: number | null;
  /** The KS test's p-value (numeric fields only). */
  readonly pValue: number | null;
  /** True when any threshold was crossed. */
  readonly drifted: boolean;
  /** Which thresholds were crossed. */
  readonly crossed: readonly ('psi' | 'ks')[];
  /** Values of the field in the reference profile. */
  readonly referenceCount: number;
  /** Values of the field in the current profile. */
  readonly currentCount: number;
}

/** Result of {@link drift}. */
export interface DriftReport {
  /** True when any field drifted. */
  readonly drifted: boolean;
  /** The comparison of each field both profiles have enough values of. */
  readonly fields: readonly FieldDrift[];
  /** Fields not compared, with why (too few values, missing on one side). */
  readonly skipped: readonly {
    /** The field's path. */
    readonly field: string;
    /** Why it was not compared. */
    readonly reason: string;
  }[];
}

/**
 * Compares a live profile with a reference (both from `profile().report()`): PSI for
 * categorical fields and for numeric ones binned at the reference's quantiles, plus the
 * two-sample KS statistic for numeric fields.
 */
export function drift(
  reference: ProfileReport,
  current: ProfileReport,
  options: DriftOptions = {},
): DriftReport {
  const o = driftDefaults(options);
  const fields: FieldDrift[] = [];
  const skipped: { field: string; reason: string }[] = [];
  for (const field of options.fields ?? Object.keys(reference.fields)) {
    const ref = reference.fields[field];
    const cur = current.fields[field];
    if (ref === undefined || cur === undefined) {
      skipped.push({
        field,
        reason: `missing in the ${ref === undefined ? 'reference' : 'current'} profile`,
      });
      continue;
    }
    const result = compareField(field, ref, cur, o);
    if (typeof result === 'string') skipped.push({ field, reason: result });
    else fields.push(result);
  }
  return { drifted: fields.some((f) => f.drifted), fields, skipped };
}

/** Options with defaults applied, checked. */
export function driftDefaults(options: DriftOptions): Required<Omit<DriftOptions, 'fields'>> {
  const o = { psi: 0.2, ks: 0.1, bins: 10, minCount: 100, ...options };
  if (!(o.psi > 0)) throw invalidOption('psi', 'a number > 0', options.psi);
  if (!(o.ks > 0 && o.ks <= 1)) throw invalidOption('ks', 'a number in (0, 1]', options.ks);
  if (!Number.isInteger(o.bins) || o.bins < 2)
    throw invalidOption('bins', 'an integer ≥ 2', options.bins);
  if (!Number.isInteger(o.minCount) || o.minCount < 1) {
    throw invalidOption('minCount', 'an integer ≥ 1', options.minCount);
  }
  return { psi: o.psi, ks: o.ks, bins: o.bins, minCount: o.minCount };
}

function compareField(
  field: string,
  ref: FieldProfile,
  cur: FieldProfile,
  o: Required<Omit<DriftOptions, 'fields'>>,
): FieldDrift | string {
  if (
    ref.numeric !== null &&
    (ref.categorical === null || ref.numeric.count >= ref.categorical.count)
  ) {
    const a = ref.numeric.sample;
    const b = cur.numeric?.sample ?? [];
    if (ref.numeric.count < o.minCount || (cur.numeric?.count ?? 0) < o.minCount) {
      return `fewer than ${o.minCount} numeric values`;
    }
    const edges = quantileEdges(
      [...a].sort((x, y) => x - y),
      o.bins,
    );
    const p = psi(binCounts(a, edges), binCounts(b, edges));
    const ks = ksTest(a, b);
    const crossed: ('psi' | 'ks')[] = [];
    if (p >= o.psi) crossed.push('psi');
    if (ks.statistic >= o.ks) crossed.push('ks');
    return {
      field,
      kind: 'numeric',
      psi: p,
      ks: ks.statistic,
      pValue: ks.pValue,
      drifted: crossed.length > 0,
      crossed,
      referenceCount: ref.numeric.count,
      currentCount: cur.numeric?.count ?? 0,
    };
  }
  if (ref.categorical === null) return 'no values in the reference';
  const rc = ref.categorical;
  const cc = cur.categorical ?? { count: 0, values: {}, other: 0 };
  if (rc.count < o.minCount || cc.count < o.minCount) return `fewer than ${o.minCount} values`;
  const keys = [...new Set([...Object.keys(rc.values), ...Object.keys(cc.values)])];
  const p = psi(
    [...keys.map((k) => rc.values[k] ?? 0), rc.other],
    [...keys.map((k) => cc.values[k] ?? 0), cc.other],
  );
  return {
    field,
    kind: 'categorical',
    psi: p,
    ks: null,
    pValue: null,
    drifted: p >= o.psi,
    crossed: p >= o.psi ? ['psi'] : [],
    referenceCount: rc.count,
    currentCount: cc.count,
  };
}
