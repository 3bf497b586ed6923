import { invalidOption } from '@tributary/core';
import { defineRow } from './internal/defineRow.js';
import { isPlainObject, snapshotError } from './internal/guards.js';
import type { RowStep } from './rowTransform.js';

/** A zod object schema, read structurally (no zod dependency): its `shape`. */
export interface ObjectSchemaLike {
  /** Field name → field schema; the `number` and `boolean` fields become columns, in this order. */
  readonly shape: { readonly [field: string]: unknown };
}

interface ZodLike {
  readonly _zod?: { readonly def?: { readonly type?: string; readonly innerType?: unknown } };
}

// The scalar type under optional/nullable/default wrappers.
function scalarType(schema: unknown): string | undefined {
  let s = schema as ZodLike | undefined;
  for (let i = 0; i < 8 && s?._zod?.def !== undefined; i++) {
    const def = s._zod.def;
    if (def.innerType === undefined) return def.type;
    s = def.innerType as ZodLike;
  }
  return undefined;
}

/**
 * Declares the numeric input columns of a row, in order: a list of field names, or the
 * `number` and `boolean` fields of a zod object schema (optional and nullable included; text
 * and enums are for encoders). Give it first to `vectorize`/`compose` to pass fields that no
 * transform names straight to the model, and so that scalers without `fields` scale them.
 * Booleans are decoded as 1/0, `null`/`undefined`/NaN as missing.
 */
export function inputColumns(columns: readonly string[] | ObjectSchemaLike): RowStep {
  const names = Array.isArray(columns)
    ? (columns as readonly string[])
    : isPlainObject((columns as ObjectSchemaLike | undefined)?.shape)
      ? Object.entries((columns as ObjectSchemaLike).shape)
          .filter(([, s]) => ['number', 'boolean'].includes(scalarType(s) ?? ''))
          .map(([k]) => k)
      : undefined;
  if (
    names === undefined ||
    !names.every((n) => typeof n === 'string' && n !== '') ||
    new Set(names).size !== names.length
  ) {
    throw invalidOption('columns', 'distinct field names or a zod object schema', columns);
  }
  const kind = 'inputColumns';
  return {
    kind,
    bindRow(layout) {
      for (const n of names) layout.input(n);
      return defineRow(kind, {
        learn() {},
        transform() {},
        // Nothing to do on a row: no code in the row program.
        source: () => ({ args: {}, transform: () => '', learnTransform: () => '' }),
        reset() {},
        getState: () => null,
        setState(state) {
          if (state !== null) throw snapshotError(kind, 'state must be null (stateless)', state);
        },
      });
    },
  };
}
