import { invalidOption } from '@tributary/core';
import type { FeatureMap } from './featureMap.js';
import { rowSlots } from './internal/defineRow.js';
import { defineTransform } from './internal/defineTransform.js';
import { checkFields, mapNumeric } from './internal/fields.js';
import { stateless } from './internal/stateless.js';
import type { Transform, TransformOptions } from './transform.js';

/** Options of {@link clip}; give `min`, `max` or both. */
export interface ClipOptions<T> extends TransformOptions {
  /** Fields to clip. Default: every field holding a number. */
  readonly fields?: readonly (keyof NoInfer<T> & string)[];
  /** Lower bound; default none (`-Infinity`). */
  readonly min?: number;
  /** Upper bound, >= `min`; default none (`Infinity`). */
  readonly max?: number;
}

/** Clamps numeric fields into [`min`, `max`] (e.g. to bound outliers). Stateless. */
export function clip<T extends object = FeatureMap>(options: ClipOptions<T>): Transform<T, T> {
  const kind = 'clip';
  const fields = checkFields('fields', options?.fields, false);
  const min = options.min ?? Number.NEGATIVE_INFINITY;
  const max = options.max ?? Number.POSITIVE_INFINITY;
  if (options.min === undefined && options.max === undefined) {
    throw invalidOption('min', 'a number (or give max)', undefined);
  }
  if (typeof min !== 'number' || Number.isNaN(min)) throw invalidOption('min', 'a number', min);
  if (typeof max !== 'number' || Number.isNaN(max) || max < min) {
    throw invalidOption('max', `a number >= min (${min})`, max);
  }
  return defineTransform<T, T>(
    kind,
    options,
    stateless(
      kind,
      (x) => mapNumeric(kind, x, fields, (_f, v) => Math.min(max, Math.max(min, v))),
      (layout) => {
        const { slots } = rowSlots(kind, fields, layout);
        return (row) => {
          for (let i = 0; i < slots.length; i++) {
            const s = slots[i]!;
            const v = row[s]!;
            if (!Number.isNaN(v)) row[s] = Math.min(max, Math.max(min, v));
          }
        };
      },
    ),
  );
}
