import { invalidOption } from '@tributary/core';
import type { FeatureMap } from './featureMap.js';
import { defineTransform } from './internal/defineTransform.js';
import { checkFields, forEachNumeric, mapNumeric } from './internal/fields.js';
import { isNumberTuple, readEntries } from './internal/guards.js';
import { addMoment, emptyMoments, type Moments, variance } from './internal/welford.js';
import type { Transform, TransformOptions } from './transform.js';

/** Options of {@link standardScaler}. */
export interface StandardScalerOptions<T> extends TransformOptions {
  /** Fields to scale. Default: every field holding a number. */
  readonly fields?: readonly (keyof NoInfer<T> & string)[];
  /** Subtract the running mean (default true). */
  readonly withMean?: boolean;
  /** Divide by the running population standard deviation (default true). */
  readonly withStd?: boolean;
}

/**
 * Standardises numeric fields to zero mean and unit variance with running (Welford) statistics:
 * `(x - mean) / std`, where a zero std yields 0 (as River's `StandardScaler`). Missing values
 * (`null`, `undefined`, `NaN`) are neither learned nor changed; other fields pass through.
 */
export function standardScaler<T extends object = FeatureMap>(
  options: StandardScalerOptions<T> = {},
): Transform<T, T> {
  const kind = 'standardScaler';
  const fields = checkFields('fields', options.fields, false);
  const withMean = options.withMean ?? true;
  const withStd = options.withStd ?? true;
  if (typeof withMean !== 'boolean') throw invalidOption('withMean', 'a boolean', withMean);
  if (typeof withStd !== 'boolean') throw invalidOption('withStd', 'a boolean', withStd);
  let stats = new Map<string, Moments>();

  const scale = (field: string, x: number): number => {
    const m = stats.get(field);
    const mean = m === undefined ? 0 : m[1];
    const centred = withMean ? x - mean : x;
    if (!withStd) return centred;
    const sd = Math.sqrt(m === undefined ? 0 : (variance(m, 0) ?? 0));
    return sd === 0 ? 0 : centred / sd;
  };

  return defineTransform<T, T>(kind, options, {
    learn(x) {
      forEachNumeric(kind, x, fields, (f, v) => {
        let m = stats.get(f);
        if (m === undefined) {
          m = emptyMoments();
          stats.set(f, m);
        }
        addMoment(m, v);
      });
    },
    transform: (x) => mapNumeric(kind, x, fields, scale),
    reset() {
      stats = new Map();
    },
    getState: () => Object.fromEntries(stats),
    setState(state) {
      stats = readEntries(kind, state, (v): v is Moments => isNumberTuple(v, 3), '[n, mean, m2]');
    },
  });
}
