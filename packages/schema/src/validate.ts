import type { StandardSchemaV1 } from '@standard-schema/spec';
import {
  type ErrorPolicy,
  isTributaryError,
  type StageContext,
  type StageObject,
} from '@tributary/core';
import { assertPolicy } from './internal/assertPolicy.js';
import { assertStandardSchema, checkSchema } from './internal/checkSchema.js';
import { type DecodeReason, decodeJson } from './internal/decodeJson.js';
import { pathPattern, type SchemaIssue } from './schemaIssue.js';

/** Options of {@link validate}. */
export interface ValidateOptions {
  /**
   * What happens to an invalid or undecodable record, e.g. `deadLetter(quarantineSink)`:
   * the original record goes there with the reason and issues in its headers. Default: the
   * pipeline's error policy. `pipe(stage, { onError })` overrides it.
   */
  readonly onInvalid?: ErrorPolicy;
  /** Step name in metrics and dead-letter headers. Default `validate`. */
  readonly name?: string;
}

/** What a {@link validate} stage has seen since it was created. */
export interface ValidationCounts {
  /** Records that passed the schema. */
  readonly valid: number;
  /** All rejected records: undecodable plus schema-invalid. */
  readonly invalid: number;
  /** Records whose bytes are not UTF-8 text. */
  readonly notUtf8: number;
  /** Records whose text does not parse as JSON. */
  readonly notJson: number;
  /** JSON refused for a `__proto__` key or a `constructor.prototype` path. */
  readonly unsafeJson: number;
  /** Issues per path pattern (array indexes folded to `[*]`), e.g. `{ 'items[*].price': 3 }`. */
  readonly issuesByPath: Readonly<Record<string, number>>;
}

/** The validation stage: a stage object plus its counters. */
export interface ValidateStage<S extends StandardSchemaV1>
  extends StageObject<unknown, StandardSchemaV1.InferOutput<S>> {
  /** The stage name. */
  readonly name: string;
  /** A copy of the counters (also reported through `ctx.count`). */
  counts(): ValidationCounts;
}

/** Records rejected before the schema ran, by error code: their `counts()` field and reason. */
const DECODE_FAILURES = {
  SCHEMA_NOT_UTF8: { field: 'notUtf8', reason: 'not-utf8' },
  SCHEMA_NOT_JSON: { field: 'notJson', reason: 'not-json' },
  SCHEMA_UNSAFE_JSON: { field: 'unsafeJson', reason: 'unsafe-json' },
} as const satisfies Record<string, { field: string; reason: DecodeReason }>;

/**
 * A stage that checks each value against a Standard Schema and outputs the schema's
 * output (zod coercions, defaults and transforms applied). Bytes (UTF-8) and strings are
 * decoded as JSON text first; other values (already parsed) are checked as they are. A rejected record throws a
 * TributaryError (SCHEMA_NOT_UTF8, SCHEMA_NOT_JSON, SCHEMA_UNSAFE_JSON or SCHEMA_INVALID with
 * `details.issues`), which the stage's `onInvalid` policy routes; it is never retried.
 *
 * Counters via `ctx.count`: `valid`, `invalid`, `invalid.not-utf8`, `invalid.not-json`,
 * `invalid.unsafe-json`, `invalid.schema`, and `issues.<path>` per issue (e.g. `issues.items[*].price`).
 */
export function validate<S extends StandardSchemaV1>(
  schema: S,
  options: ValidateOptions = {},
): ValidateStage<S> {
  assertStandardSchema('schema', schema);
  if (options.onInvalid !== undefined) assertPolicy('onInvalid', options.onInvalid);
  let valid = 0;
  const undecodable = { notUtf8: 0, notJson: 0, unsafeJson: 0 };
  let schemaInvalid = 0;
  const issuesByPath: Record<string, number> = {};

  const rejected = (error: unknown, ctx: StageContext): never => {
    if (isTributaryError(error)) {
      const decode = DECODE_FAILURES[error.code as keyof typeof DECODE_FAILURES];
      if (decode !== undefined) {
        undecodable[decode.field]++;
        ctx.count(`invalid.${decode.reason}`);
      } else if (error.code === 'SCHEMA_INVALID') {
        schemaInvalid++;
        ctx.count('invalid.schema');
        for (const issue of error.details.issues as SchemaIssue[]) {
          const key = pathPattern(issue.path);
          issuesByPath[key] = (issuesByPath[key] ?? 0) + 1;
          ctx.count(`issues.${key}`);
        }
      }
    }
    ctx.count('invalid');
    throw error;
  };
  const accepted = <O>(value: O, ctx: StageContext): O => {
    valid++;
    ctx.count('valid');
    return value;
  };

  const stage: ValidateStage<S> = {
    name: options.name ?? 'validate',
    // Validation is deterministic: retrying an invalid record only delays the quarantine.
    retry: { retries: 0 },
    process(value, ctx) {
      let out: ReturnType<typeof checkSchema<S>>;
      try {
        // Text is JSON too (what a string-producing source or a test hands over).
        const input =
          value instanceof Uint8Array || typeof value === 'string' ? decodeJson(value) : value;
        out = checkSchema(schema, input);
      } catch (error) {
        return rejected(error, ctx);
      }
      if (out instanceof Promise) {
        return out.then(
          (v) => accepted(v, ctx),
          (error: unknown) => rejected(error, ctx),
        );
      }
      return accepted(out, ctx);
    },
    counts: () => ({
      valid,
      invalid: undecodable.notUtf8 + undecodable.notJson + undecodable.unsafeJson + schemaInvalid,
      ...undecodable,
      issuesByPath: { ...issuesByPath },
    }),
  };
  return options.onInvalid === undefined ? stage : { ...stage, onError: options.onInvalid };
}
