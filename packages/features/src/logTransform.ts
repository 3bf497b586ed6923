import { invalidOption, TributaryError } from '@tributary/core';
import { defineTransform, type FieldTransformOptions } from './defineTransform.js';
import type { FeatureMap } from './featureMap.js';
import type { Transform } from './transform.js';

/** Options of {@link logTransform} (`fields`: the fields to transform). */
export interface LogTransformOptions<T> extends FieldTransformOptions<T> {
  /** Added before the logarithm (default 1, i.e. `log1p`). */
  readonly offset?: number;
  /** Base of the logarithm (default e). */
  readonly base?: number;
}

/**
 * `log(x + offset) / log(base)` on numeric fields, for heavy-tailed values such as amounts.
 * `x + offset <= 0` throws FEATURE_OUT_OF_DOMAIN (so the error policy sees it) instead of
 * emitting `-Infinity` or `NaN`. Stateless: its snapshot holds no data.
 */
export function logTransform<T extends object = FeatureMap>(
  options: LogTransformOptions<T> = {},
): Transform<T, T> {
  const kind = 'logTransform';
  const offset = options.offset ?? 1;
  if (!Number.isFinite(offset)) throw invalidOption('offset', 'a finite number', offset);
  const base = options.base ?? Math.E;
  if (!(Number.isFinite(base) && base > 0 && base !== 1)) {
    throw invalidOption('base', 'a finite number > 0 other than 1', base);
  }
  const lnBase = Math.log(base);
  const apply = (field: string, x: number): number => {
    const y = x + offset;
    if (!(y > 0)) {
      throw new TributaryError(
        'FEATURE_OUT_OF_DOMAIN',
        `${kind}: field "${field}" is ${x}; log(x + ${offset}) needs x > ${-offset}`,
        { details: { transform: kind, field, value: x, offset } },
      );
    }
    return Math.log(y) / lnBase;
  };
  return defineTransform<T>({ kind, transform: (_, x, field) => apply(field, x) }, options);
}
