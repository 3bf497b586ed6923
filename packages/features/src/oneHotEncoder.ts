import { invalidOption } from '@tributary/core';
import type { FeatureMap } from './featureMap.js';
import { defineTransform } from './internal/defineTransform.js';
import { checkFields, isMissing } from './internal/fields.js';
import { isPlainObject, snapshotError } from './internal/guards.js';
import type { Transform, TransformOptions } from './transform.js';

/** The columns a one-hot encoding of fields `F` adds: `"<field>=<category>"` → 0 or 1. */
export type OneHotColumns<F extends string> = { readonly [K in `${F}=${string}`]: number };

/** Options of {@link oneHotEncoder}. */
export interface OneHotEncoderOptions<F extends string> extends TransformOptions {
  /** Categorical fields to encode; each is replaced by its columns. */
  readonly fields: readonly F[];
  /**
   * Most categories kept per field (default unbounded). Later new categories, like categories
   * unseen while not learning, set the field's unknown column.
   */
  readonly maxCategories?: number;
  /** Name of the unknown bucket, so its column is `"<field>=<unknown>"`. Default `'__unknown__'`. */
  readonly unknown?: string;
}

/** A one-hot encoder; `columns()` lists its output columns in their stable order. */
export interface OneHotEncoder<T, F extends string>
  extends Transform<T, Omit<T, F> & OneHotColumns<F>> {
  /** Output columns now: per field, categories in first-seen order, then the unknown bucket. */
  columns(): readonly string[];
}

/**
 * One-hot encodes categorical fields with an online vocabulary. Output is dense over the
 * vocabulary so far: every known column of a field is present (0 or 1), so a vector assembler
 * sees stable names. A missing value (`null`, `undefined`, `NaN`) sets no column. Values are
 * compared as strings (`1` and `'1'` are one category).
 */
export function oneHotEncoder<
  T extends object = FeatureMap,
  F extends keyof T & string = keyof T & string,
>(options: OneHotEncoderOptions<F>): OneHotEncoder<T, F> {
  const kind = 'oneHotEncoder';
  const fields = checkFields('fields', options?.fields, true) as readonly F[];
  const max = options.maxCategories ?? Number.POSITIVE_INFINITY;
  if (!(max === Number.POSITIVE_INFINITY || (Number.isInteger(max) && max >= 1))) {
    throw invalidOption('maxCategories', 'an integer >= 1', max);
  }
  const unknown = options.unknown ?? '__unknown__';
  if (typeof unknown !== 'string' || unknown === '') {
    throw invalidOption('unknown', 'a non-empty string', unknown);
  }
  // field → category → position; Map keeps first-seen order.
  let vocab = new Map<string, Map<string, number>>(fields.map((f) => [f, new Map()]));

  const categoryOf = (v: unknown): string | undefined => (isMissing(v) ? undefined : String(v));
  const learn = (x: T): void => {
    const rec = x as Record<string, unknown>;
    for (const f of fields) {
      const c = categoryOf(rec[f]);
      const cats = vocab.get(f)!;
      if (c !== undefined && c !== unknown && !cats.has(c) && cats.size < max)
        cats.set(c, cats.size);
    }
  };
  const transform = (x: T): Omit<T, F> & OneHotColumns<F> => {
    const out: Record<string, unknown> = { ...(x as Record<string, unknown>) };
    for (const f of fields) {
      const c = categoryOf(out[f]);
      delete out[f];
      const cats = vocab.get(f)!;
      for (const known of cats.keys()) out[`${f}=${known}`] = known === c ? 1 : 0;
      out[`${f}=${unknown}`] = c !== undefined && !cats.has(c) ? 1 : 0;
    }
    return out as Omit<T, F> & OneHotColumns<F>;
  };

  const base = defineTransform<T, Omit<T, F> & OneHotColumns<F>>(kind, options, {
    learn,
    transform,
    reset() {
      vocab = new Map(fields.map((f) => [f, new Map()]));
    },
    getState: () => Object.fromEntries(fields.map((f) => [f, [...vocab.get(f)!.keys()]])),
    setState(state) {
      if (!isPlainObject(state)) throw snapshotError(kind, 'state must be an object', state);
      const next = new Map<string, Map<string, number>>();
      for (const f of fields) {
        const cats = state[f];
        if (!Array.isArray(cats) || !cats.every((c) => typeof c === 'string')) {
          throw snapshotError(kind, `field "${f}" must list its categories as strings`, cats);
        }
        next.set(f, new Map(cats.map((c, i) => [c as string, i])));
      }
      vocab = next;
    },
  });
  return {
    ...base,
    columns: () =>
      fields.flatMap((f) => [
        ...[...vocab.get(f)!.keys()].map((c) => `${f}=${c}`),
        `${f}=${unknown}`,
      ]),
  };
}
