import { invalidOption } from '@tributary/core';
import type { FeatureMap } from './featureMap.js';
import { assembleTransform } from './internal/assembleTransform.js';
import { checkFields, isMissing, notFinite } from './internal/fields.js';
import { stateless } from './internal/stateless.js';
import { murmur3 } from './murmur3.js';
import type { Transform, TransformOptions } from './transform.js';

/** Options of {@link featureHasher}. */
export interface FeatureHasherOptions<F extends string, P extends string> extends TransformOptions {
  /** Fields to hash; each is removed from the output. */
  readonly fields: readonly F[];
  /** Length of the hashed vector. */
  readonly nFeatures: number;
  /** Output field holding the Float64Array. Default `'hashed'`. */
  readonly into?: P;
  /** Murmur3 seed (default 0, as scikit-learn). */
  readonly seed?: number;
  /** Sign each term by its hash so collisions cancel out in expectation (default true). */
  readonly alternateSign?: boolean;
}

/** A feature hasher; `hash(x)` gives the vector alone. */
export interface FeatureHasher<T, F extends string, P extends string>
  extends Transform<T, Omit<T, F> & { readonly [K in P]: Float64Array }> {
  /** The hashed vector of `x` (a new array). */
  hash(x: T): Float64Array;
}

/**
 * The hashing trick: fields become one fixed-length Float64Array, with no vocabulary to keep.
 * As scikit-learn's `FeatureHasher` (so indices match it): a string value `v` of field `f`
 * adds ±1 at the index of murmur3(`"f=v"`); a number (a boolean as 1/0) adds ±`v` at the index
 * of murmur3(`"f"`); the index is |h| mod `nFeatures` and the sign that of the signed hash `h`.
 * Missing values add nothing. Stateless: its snapshot holds no data.
 */
export function featureHasher<
  T extends object = FeatureMap,
  F extends keyof T & string = keyof T & string,
>(options: FeatureHasherOptions<F, 'hashed'>): FeatureHasher<T, F, 'hashed'>;
/** The same, writing the vector to the `into` field. */
export function featureHasher<
  T extends object = FeatureMap,
  F extends keyof T & string = keyof T & string,
  P extends string = 'hashed',
>(options: FeatureHasherOptions<F, P> & { readonly into: P }): FeatureHasher<T, F, P>;
export function featureHasher<
  T extends object = FeatureMap,
  F extends keyof T & string = keyof T & string,
  P extends string = 'hashed',
>(options: FeatureHasherOptions<F, P>): FeatureHasher<T, F, P> {
  const kind = 'featureHasher';
  const fields = checkFields('fields', options?.fields, true) as readonly F[];
  const n = options.nFeatures;
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1) {
    throw invalidOption('nFeatures', 'an integer in [1, 2^31 - 1]', n);
  }
  const into = (options.into ?? 'hashed') as P;
  if (typeof into !== 'string' || into === '')
    throw invalidOption('into', 'a non-empty string', into);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw invalidOption('seed', 'an integer', seed);
  const alternateSign = options.alternateSign ?? true;
  if (typeof alternateSign !== 'boolean') {
    throw invalidOption('alternateSign', 'a boolean', alternateSign);
  }

  const add = (out: Float64Array, offset: number, token: string, value: number): void => {
    const h = murmur3(token, seed) | 0;
    // |INT32_MIN| does not fit in int32; scikit-learn maps it the same way.
    const index = h === -2147483648 ? (2147483647 - (n - 1)) % n : Math.abs(h) % n;
    out[offset + index]! += alternateSign && h < 0 ? -value : value;
  };
  const hashInto = (out: Float64Array, offset: number, x: object): void => {
    const rec = x as Record<string, unknown>;
    for (const f of fields) {
      const v = rec[f];
      if (isMissing(v)) continue;
      if (typeof v === 'number' && !Number.isFinite(v)) throw notFinite(kind, f, v);
      if (typeof v === 'number') add(out, offset, f, v);
      else if (typeof v === 'boolean') add(out, offset, f, v ? 1 : 0);
      else add(out, offset, `${f}=${String(v)}`, 1);
    }
  };
  const hash = (x: T): Float64Array => {
    const out = new Float64Array(n);
    hashInto(out, 0, x);
    return out;
  };
  const transform = (x: T) => {
    const out: Record<string, unknown> = { ...(x as Record<string, unknown>) };
    for (const f of fields) delete out[f];
    out[into] = hash(x);
    return out as Omit<T, F> & { readonly [K in P]: Float64Array };
  };

  const base = assembleTransform(
    kind,
    options,
    stateless(kind, transform, (layout) => {
      const first = layout.append(Array.from({ length: n }, (_, j) => `${into}[${j}]`));
      return (row, value) => {
        row.fill(0, first, first + n);
        hashInto(row, first, value);
      };
    }),
  );
  return { ...base, hash };
}
