import { invalidOption } from '@tributary/core';
import type { FeatureMap } from './featureMap.js';
import { defineTransform } from './internal/defineTransform.js';
import { checkFields, forEachNumeric, mapNumeric } from './internal/fields.js';
import { isNumberTuple, readEntries } from './internal/guards.js';
import type { Transform, TransformOptions } from './transform.js';

/** Options of {@link minMaxScaler}. */
export interface MinMaxScalerOptions<T> extends TransformOptions {
  /** Fields to scale. Default: every field holding a number. */
  readonly fields?: readonly (keyof NoInfer<T> & string)[];
  /** Clamp results into [0, 1] (matters when transforming values outside the learned range). Default false. */
  readonly clip?: boolean;
}

/**
 * Scales numeric fields into [0, 1] with the running minimum and maximum:
 * `(x - min) / (max - min)`, where a zero range yields 0 (as River's `MinMaxScaler`).
 * Missing values are neither learned nor changed; other fields pass through.
 */
export function minMaxScaler<T extends object = FeatureMap>(
  options: MinMaxScalerOptions<T> = {},
): Transform<T, T> {
  const kind = 'minMaxScaler';
  const fields = checkFields('fields', options.fields, false);
  const clip = options.clip ?? false;
  if (typeof clip !== 'boolean') throw invalidOption('clip', 'a boolean', clip);
  // field → [min, max]
  let ranges = new Map<string, [number, number]>();

  const scale = (field: string, x: number): number => {
    const r = ranges.get(field);
    if (r === undefined) return 0;
    const span = r[1] - r[0];
    const y = span === 0 ? 0 : (x - r[0]) / span;
    return clip ? Math.min(1, Math.max(0, y)) : y;
  };

  return defineTransform<T, T>(kind, options, {
    learn(x) {
      forEachNumeric(kind, x, fields, (f, v) => {
        const r = ranges.get(f);
        if (r === undefined) ranges.set(f, [v, v]);
        else {
          if (v < r[0]) r[0] = v;
          if (v > r[1]) r[1] = v;
        }
      });
    },
    transform: (x) => mapNumeric(kind, x, fields, scale),
    reset() {
      ranges = new Map();
    },
    getState: () => Object.fromEntries(ranges),
    setState(state) {
      ranges = readEntries(
        kind,
        state,
        (v): v is [number, number] => isNumberTuple(v, 2),
        '[min, max]',
      );
    },
  });
}
