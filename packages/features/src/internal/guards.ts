import { TributaryError } from '@tributary/core';

/** A plain object (not null, not an array). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** An array of `n` finite numbers (statistics never hold ±Infinity or NaN). */
export function isNumberTuple(x: unknown, n: number): x is number[] {
  return Array.isArray(x) && x.length === n && x.every((v) => Number.isFinite(v));
}

/** FEATURE_SNAPSHOT_INVALID naming the transform and what was wrong. */
export function snapshotError(kind: string, problem: string, got: unknown): TributaryError {
  return new TributaryError('FEATURE_SNAPSHOT_INVALID', `${kind}.restore(): ${problem}`, {
    details: { kind, problem, got: typeof got },
  });
}

/** Reads `state` as `Record<string, T>`, checking each entry with `check`. */
export function readEntries<T>(
  kind: string,
  state: unknown,
  check: (v: unknown) => v is T,
  what: string,
): Map<string, T> {
  if (!isPlainObject(state)) throw snapshotError(kind, 'state must be an object', state);
  const out = new Map<string, T>();
  for (const [k, v] of Object.entries(state)) {
    if (!check(v)) throw snapshotError(kind, `entry "${k}" must be ${what}`, v);
    out.set(k, v);
  }
  return out;
}
