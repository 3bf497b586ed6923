import type { AggregateKind, Aggregator } from '../aggregates.js';
import { isMissing, notNumeric } from './fields.js';
import { addMoment, emptyMoments, type Moments, mergeMoments, variance } from './welford.js';

/** JSON state of one aggregator in one window. */
export type AccState = number | null | Moments | Record<string, 1>;

/** A value extracted from a record for one aggregator; `null` when missing. */
export type Extracted = number | string | null;

/** Extracts each aggregator's input from `value`; throws FEATURE_NOT_NUMERIC before any state changes. */
export function extractAll<I>(aggs: readonly Aggregator<I, unknown>[], value: I): Extracted[] {
  return extractInto(aggs, value, []);
}

/** {@link extractAll} appended to `out` (e.g. after a sliding entry's event time); returns `out`. */
export function extractInto<I, T extends unknown[]>(
  aggs: readonly Aggregator<I, unknown>[],
  value: I,
  out: T,
): T {
  for (let i = 0; i < aggs.length; i++) {
    const a = aggs[i]!;
    if (a.of === undefined) {
      out.push(1);
      continue;
    }
    const v = a.of(value);
    if (isMissing(v)) out.push(null);
    else if (a.kind === 'distinct' || a.kind === 'count')
      out.push(typeof v === 'number' ? v : String(v));
    else if (typeof v !== 'number') throw notNumeric(`${a.kind} aggregate #${i}`, 'of(value)', v);
    else out.push(v);
  }
  return out;
}

/** Fresh state of an aggregator of `kind`. */
export function initAcc(kind: AggregateKind): AccState {
  switch (kind) {
    case 'count':
    case 'sum':
      return 0;
    case 'mean':
    case 'std':
      return emptyMoments();
    case 'min':
    case 'max':
      return null;
    case 'distinct':
      return {};
  }
}

/** Adds an extracted value (not null) to `s`, returning the new state (mutates when it can). */
export function addAcc(kind: AggregateKind, s: AccState, x: number | string): AccState {
  switch (kind) {
    case 'count':
      return (s as number) + 1;
    case 'sum':
      return (s as number) + (x as number);
    case 'mean':
    case 'std':
      addMoment(s as Moments, x as number);
      return s;
    case 'min':
      return s === null || (x as number) < (s as number) ? (x as number) : s;
    case 'max':
      return s === null || (x as number) > (s as number) ? (x as number) : s;
    case 'distinct':
      (s as Record<string, 1>)[String(x)] = 1;
      return s;
  }
}

/** Merges `b` into `a`, returning the merged state (used when sessions join). */
export function mergeAcc(kind: AggregateKind, a: AccState, b: AccState): AccState {
  switch (kind) {
    case 'count':
    case 'sum':
      return (a as number) + (b as number);
    case 'mean':
    case 'std':
      mergeMoments(a as Moments, b as Moments);
      return a;
    case 'min':
      return b === null ? a : addAcc(kind, a, b as number);
    case 'max':
      return b === null ? a : addAcc(kind, a, b as number);
    case 'distinct':
      return Object.assign(a as Record<string, 1>, b);
  }
}

/** The result of an aggregator from its state. */
export function resultOf(a: Aggregator<never, unknown>, s: AccState): number | null {
  switch (a.kind) {
    case 'count':
    case 'sum':
    case 'min':
    case 'max':
      return s as number | null;
    case 'mean': {
      const m = s as Moments;
      return m[0] === 0 ? null : m[1];
    }
    case 'std': {
      const v = variance(s as Moments, a.ddof);
      return v === null ? null : Math.sqrt(v);
    }
    case 'distinct':
      return Object.keys(s as Record<string, 1>).length;
  }
}

/** A fresh accumulator row for `aggs`. */
export function initRow(aggs: readonly Aggregator<never, unknown>[]): AccState[] {
  return aggs.map((a) => initAcc(a.kind));
}

/** Adds one record's extracted values to a row in place. */
export function addRow(
  aggs: readonly Aggregator<never, unknown>[],
  row: AccState[],
  xs: readonly Extracted[],
): void {
  for (let i = 0; i < aggs.length; i++) {
    const x = xs[i];
    if (x !== null && x !== undefined) row[i] = addAcc(aggs[i]!.kind, row[i]!, x);
  }
}

/** Merges row `b` into row `a` in place. */
export function mergeRow(
  aggs: readonly Aggregator<never, unknown>[],
  a: AccState[],
  b: readonly AccState[],
): void {
  for (let i = 0; i < aggs.length; i++) a[i] = mergeAcc(aggs[i]!.kind, a[i]!, b[i]!);
}

/** Named results of a row. */
export function resultsOf(
  names: readonly string[],
  aggs: readonly Aggregator<never, unknown>[],
  row: readonly AccState[],
): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (let i = 0; i < aggs.length; i++) out[names[i]!] = resultOf(aggs[i]!, row[i]!);
  return out;
}
