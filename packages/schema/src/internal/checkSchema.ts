import type { StandardSchemaV1 } from '@standard-schema/spec';
import { invalidOption, TributaryError } from '@tributary/core';
import type { SchemaErrorCode } from '../schemaErrorCode.js';
import { formatPath, toSchemaIssues } from '../schemaIssue.js';

/** Fails fast when `schema` is not a Standard Schema (e.g. a zod 3 schema or a plain object). */
export function assertStandardSchema(option: string, schema: unknown): void {
  const std = (schema as { '~standard'?: { validate?: unknown } } | null)?.['~standard'];
  if (typeof std?.validate !== 'function') {
    throw invalidOption(option, 'a Standard Schema (e.g. a zod 4 schema)', schema);
  }
}

/** The error for a value the schema rejects, with every issue in `details.issues`. */
export function invalidError(
  issues: readonly StandardSchemaV1.Issue[],
  vendor: string,
): TributaryError<SchemaErrorCode> {
  const list = toSchemaIssues(issues);
  const first = list[0];
  const summary =
    first === undefined ? 'no issue given' : `${formatPath(first.path)}: ${first.message}`;
  const more = list.length > 1 ? ` (and ${list.length - 1} more)` : '';
  return new TributaryError<SchemaErrorCode>(
    'SCHEMA_INVALID',
    `Value does not match the schema: ${summary}${more}`,
    { details: { reason: 'invalid', vendor, issues: list } },
  );
}

/**
 * Validates `value`, synchronously when the schema is synchronous (zod without async
 * refinements), so hot paths avoid a promise per record. Throws SCHEMA_INVALID.
 */
export function checkSchema<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
): StandardSchemaV1.InferOutput<S> | Promise<StandardSchemaV1.InferOutput<S>> {
  const std = schema['~standard'];
  const result = std.validate(value);
  if (result instanceof Promise) return result.then((r) => unwrap(r, std.vendor));
  return unwrap(result, std.vendor);
}

function unwrap<O>(result: StandardSchemaV1.Result<O>, vendor: string): O {
  if (result.issues) throw invalidError(result.issues, vendor);
  return result.value;
}
