import type { StageObject } from '@tributary/core';
import type { WithFields, WithoutFields } from './fieldTypes.js';
import { fieldList } from './internal/fieldList.js';
import { REMOVE, updateField } from './internal/fieldPath.js';

/** Options of {@link redact}. */
export interface RedactOptions<R> {
  /** Put this in place of each field instead of removing it (e.g. `'[redacted]'`). */
  readonly replacement?: R;
  /** Stage name. Default `'redact'`. */
  readonly name?: string;
}

/**
 * A stage removing fields (dotted paths) from each value, or replacing them with
 * `replacement`. Values are copied along the paths, never changed in place.
 */
export function redact<T = Record<string, unknown>, F extends string = string>(
  fields: readonly F[],
): StageObject<T, WithoutFields<T, F>>;
export function redact<T = Record<string, unknown>, F extends string = string, R = string>(
  fields: readonly F[],
  options: RedactOptions<R> & { readonly replacement: R },
): StageObject<T, WithFields<T, F, R>>;
export function redact<T = Record<string, unknown>, F extends string = string>(
  fields: readonly F[],
  options: { readonly name?: string },
): StageObject<T, WithoutFields<T, F>>;
export function redact<T, F extends string>(
  fields: readonly F[],
  options: RedactOptions<unknown> = {},
): StageObject<T, unknown> {
  const paths = fieldList('fields', fields);
  const replace = 'replacement' in options;
  return {
    name: options.name ?? 'redact',
    process(value) {
      let out: unknown = value;
      for (const [, path] of paths) {
        out = updateField(out, path, () => (replace ? options.replacement : REMOVE));
      }
      return out;
    },
  };
}
