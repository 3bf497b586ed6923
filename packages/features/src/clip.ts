import { invalidOption } from '@tributary/core';
import { defineTransform, type FieldTransformOptions } from './defineTransform.js';
import type { FeatureMap } from './featureMap.js';
import type { Transform } from './transform.js';

/** Options of {@link clip}; give `min`, `max` or both (`fields`: the fields to clip). */
export interface ClipOptions<T> extends FieldTransformOptions<T> {
  /** Lower bound; default none (`-Infinity`). */
  readonly min?: number;
  /** Upper bound, >= `min`; default none (`Infinity`). */
  readonly max?: number;
}

/** Clamps numeric fields into [`min`, `max`] (e.g. to bound outliers). Stateless. */
export function clip<T extends object = FeatureMap>(options: ClipOptions<T>): Transform<T, T> {
  const min = options.min ?? Number.NEGATIVE_INFINITY;
  const max = options.max ?? Number.POSITIVE_INFINITY;
  if (options.min === undefined && options.max === undefined) {
    throw invalidOption('min', 'a number (or give max)', undefined);
  }
  if (typeof min !== 'number' || Number.isNaN(min)) throw invalidOption('min', 'a number', min);
  if (typeof max !== 'number' || Number.isNaN(max) || max < min) {
    throw invalidOption('max', `a number >= min (${min})`, max);
  }
  return defineTransform<T>(
    { kind: 'clip', transform: (_, v) => Math.min(max, Math.max(min, v)) },
    options,
  );
}
