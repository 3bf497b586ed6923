import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type Bytes, invalidOption, type Serde, TributaryError } from '@tributary/core';
import type { JsonSchema } from './compatibility.js';
import { assertStandardSchema, checkSchema } from './internal/checkSchema.js';
import { decodeJson, encodeJson } from './internal/decodeJson.js';
import type { SchemaErrorCode } from './schemaErrorCode.js';
import type { SchemaRegistry } from './schemaRegistry.js';
import { decodeWire, encodeWire } from './wireFormat.js';

/** Options of {@link registrySerde}. */
export interface RegistrySerdeOptions {
  /** Subject of the writer schema, e.g. `<topic>-value` (Confluent's TopicNameStrategy). */
  readonly subject: string;
  /**
   * How `serialize` finds the schema id: `register` it (default; idempotent), look up the
   * subject's `latest` version, or `lookup` this exact schema (fails if not registered).
   */
  readonly writerId?: 'register' | 'latest' | 'lookup';
  /**
   * The JSON Schema to register. Default: the schema's own JSON Schema (zod 4: input side,
   * draft-07, which Confluent and Apicurio both read).
   */
  readonly jsonSchema?: JsonSchema;
}

/** A serde of Confluent-framed JSON; values are the schema's output type. */
export interface RegistrySerde<S extends StandardSchemaV1>
  extends Serde<StandardSchemaV1.InferOutput<S>, Bytes> {
  /** The schema decoded values are validated with. */
  readonly schema: S;
  /** The id `serialize` writes (registers or looks it up on first use). */
  writerSchemaId(): Promise<number>;
  /** The wire format: magic byte, the writer schema id, then the JSON (not validated). */
  serialize(value: StandardSchemaV1.InferOutput<S>): Promise<Uint8Array>;
  /** A tombstone (`null`) is SCHEMA_BAD_WIRE_FORMAT. */
  deserialize(raw: Uint8Array | null): Promise<StandardSchemaV1.InferOutput<S>>;
}

/**
 * A serde of JSON in the Confluent wire format (magic byte 0, 4-byte schema id, JSON),
 * so records interoperate with Confluent's JSON Schema serializers. `serialize` frames
 * values with the writer schema's id; `deserialize` checks the frame, makes sure the id
 * is a JSON schema the registry knows (cached), then parses and validates the payload
 * with `schema` (errors as {@link json}'s, plus SCHEMA_BAD_WIRE_FORMAT).
 */
export function registrySerde<S extends StandardSchemaV1>(
  registry: SchemaRegistry,
  schema: S,
  options: RegistrySerdeOptions,
): RegistrySerde<S> {
  assertStandardSchema('schema', schema);
  if (typeof options?.subject !== 'string' || options.subject === '') {
    throw invalidOption('subject', 'a non-empty subject name', options?.subject);
  }
  const mode = options.writerId ?? 'register';
  if (!['register', 'latest', 'lookup'].includes(mode)) {
    throw invalidOption('writerId', "'register', 'latest' or 'lookup'", mode);
  }
  const jsonSchema = options.jsonSchema ?? jsonSchemaOf(schema);
  let writerId: Promise<number> | undefined;

  const resolveId = async (): Promise<number> => {
    if (mode === 'register') return registry.register(options.subject, jsonSchema);
    if (mode === 'latest')
      return (await registry.getBySubjectVersion(options.subject, 'latest')).id;
    const found = await registry.lookup(options.subject, jsonSchema);
    if (found === undefined) {
      throw new TributaryError<SchemaErrorCode>(
        'SCHEMA_REGISTRY_ERROR',
        `Schema is not registered under subject ${options.subject}`,
        { details: { subject: options.subject } },
      );
    }
    return found.id;
  };
  const getWriterId = (): Promise<number> => {
    if (writerId === undefined) {
      const p = resolveId();
      // A failed look-up is retried on the next record instead of failing forever.
      p.catch(() => {
        if (writerId === p) writerId = undefined;
      });
      writerId = p;
    }
    return writerId;
  };

  return {
    schema,
    writerSchemaId: getWriterId,
    async serialize(value) {
      const id = await getWriterId();
      return encodeWire(id, encodeJson(value));
    },
    async deserialize(raw) {
      if (raw === null) {
        throw new TributaryError<SchemaErrorCode>(
          'SCHEMA_BAD_WIRE_FORMAT',
          'Record is a tombstone (null value), not a registry-framed value',
          { details: { reason: 'tombstone' } },
        );
      }
      const { schemaId, payload } = decodeWire(raw);
      const writer = await registry.getById(schemaId);
      if (writer.schemaType !== 'JSON') {
        throw new TributaryError<SchemaErrorCode>(
          'SCHEMA_BAD_WIRE_FORMAT',
          `Record was written with ${writer.schemaType} schema ${schemaId}, not JSON Schema`,
          { details: { reason: 'not-json-schema', schemaId, schemaType: writer.schemaType } },
        );
      }
      return checkSchema(schema, decodeJson(payload));
    },
  };
}

function jsonSchemaOf(schema: StandardSchemaV1): JsonSchema {
  const input = (schema['~standard'] as { jsonSchema?: { input?: unknown } }).jsonSchema?.input;
  if (typeof input !== 'function') {
    throw invalidOption(
      'jsonSchema',
      'a JSON Schema (this schema cannot produce one itself)',
      undefined,
    );
  }
  return (input as (o: { target: string }) => JsonSchema)({ target: 'draft-07' });
}
