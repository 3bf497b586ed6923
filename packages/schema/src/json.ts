import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Bytes, Serde } from '@tributary/core';
import { assertStandardSchema, checkSchema } from './internal/checkSchema.js';
import { decodeJson, encodeJson } from './internal/decodeJson.js';

/** A JSON serde bound to its schema; values are the schema's output type. */
export interface JsonSerde<S extends StandardSchemaV1>
  extends Serde<StandardSchemaV1.InferOutput<S>, Bytes> {
  /** The schema values are validated with. */
  readonly schema: S;
  /** Writes the value as UTF-8 JSON, without validating it. */
  serialize(value: StandardSchemaV1.InferOutput<S>): Uint8Array;
  /** Takes bytes as a bus delivers them, or JSON text; a tombstone is SCHEMA_NOT_JSON. */
  deserialize(
    raw: Uint8Array | string | null,
  ): StandardSchemaV1.InferOutput<S> | Promise<StandardSchemaV1.InferOutput<S>>;
}

/**
 * A serde of UTF-8 JSON checked by any Standard Schema (zod 4, Valibot, ArkType...).
 * `deserialize` throws a TributaryError coded SCHEMA_NOT_UTF8, SCHEMA_NOT_JSON,
 * SCHEMA_UNSAFE_JSON (a `__proto__` key) or SCHEMA_INVALID (issues in `details.issues`) and returns the schema's output, so zod
 * coercions, defaults and transforms apply. It is synchronous for synchronous schemas.
 * `serialize` writes JSON without validating (SCHEMA_NOT_SERIALIZABLE for BigInt, cycles).
 */
export function json<S extends StandardSchemaV1>(schema: S): JsonSerde<S> {
  assertStandardSchema('schema', schema);
  return {
    schema,
    serialize: (value) => encodeJson(value),
    deserialize: (raw) => checkSchema(schema, decodeJson(raw)),
  };
}
