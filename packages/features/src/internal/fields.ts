import { invalidOption, TributaryError } from '@tributary/core';

/** Validates a `fields` option: an array of distinct non-empty strings (non-empty when required). */
export function checkFields(
  option: string,
  fields: unknown,
  required: boolean,
): readonly string[] | undefined {
  if (fields === undefined && !required) return undefined;
  const ok =
    Array.isArray(fields) &&
    (fields.length > 0 || !required) &&
    fields.every((f) => typeof f === 'string' && f !== '') &&
    new Set(fields).size === fields.length;
  if (!ok) {
    throw invalidOption(
      option,
      required ? 'a non-empty array of distinct field names' : 'an array of distinct field names',
      fields,
    );
  }
  return fields as readonly string[];
}

/** True for the values transforms treat as missing: `null`, `undefined` and `NaN`. */
export function isMissing(v: unknown): v is null | undefined {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/**
 * Calls `fn` for each present numeric feature of `x`: the listed `fields`, or every field holding
 * a number. Missing values are skipped; a listed field holding a non-number throws
 * FEATURE_NOT_NUMERIC, since scaling it silently would hide a schema bug, and ±Infinity throws
 * FEATURE_NOT_FINITE. All fields are checked before `fn` runs, so a bad record changes no
 * statistics.
 */
export function forEachNumeric(
  kind: string,
  x: object,
  fields: readonly string[] | undefined,
  fn: (field: string, value: number) => void,
): void {
  const rec = x as Record<string, unknown>;
  if (fields === undefined) {
    for (const f in rec) {
      const v = rec[f];
      if (
        typeof v === 'number' &&
        (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)
      )
        throw notFinite(kind, f, v);
    }
    for (const f in rec) {
      const v = rec[f];
      if (typeof v === 'number' && !Number.isNaN(v)) fn(f, v);
    }
    return;
  }
  for (const f of fields) checkNumeric(kind, f, rec[f]);
  for (const f of fields) {
    const v = rec[f];
    if (!isMissing(v)) fn(f, v as number);
  }
}

/** Throws unless `v` is missing or a finite number (FEATURE_NOT_NUMERIC / FEATURE_NOT_FINITE). */
export function checkNumeric(kind: string, field: string, v: unknown): void {
  if (isMissing(v)) return;
  if (typeof v !== 'number') throw notNumeric(kind, field, v);
  if (!Number.isFinite(v)) throw notFinite(kind, field, v);
}

/** FEATURE_NOT_FINITE for `field`. */
export function notFinite(kind: string, field: string, value: number): TributaryError {
  return new TributaryError(
    'FEATURE_NOT_FINITE',
    `${kind}: field "${field}" is ${value}; only finite numbers are learned (NaN, null and undefined are missing values)`,
    { details: { transform: kind, field, value: String(value) }, retryable: false },
  );
}

/** FEATURE_NOT_NUMERIC for `field`. */
export function notNumeric(kind: string, field: string, value: unknown): TributaryError {
  return new TributaryError(
    'FEATURE_NOT_NUMERIC',
    `${kind}: field "${field}" must be a number, got ${typeof value}`,
    { details: { transform: kind, field, type: typeof value } },
  );
}

/** A copy of `x` with `fn` applied to each present numeric feature (see {@link forEachNumeric}). */
export function mapNumeric<T extends object>(
  kind: string,
  x: T,
  fields: readonly string[] | undefined,
  fn: (field: string, value: number) => number,
): T {
  const out: Record<string, unknown> = { ...(x as Record<string, unknown>) };
  forEachNumeric(kind, x, fields, (f, v) => {
    out[f] = fn(f, v);
  });
  return out as T;
}
