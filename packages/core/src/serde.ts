import { TributaryError } from './errors.js';

/** Turns values into what a bus stores (`Raw`, bytes on Kafka and the memory bus) and back. */
export interface Serde<T, Raw = Uint8Array | null> {
  /** Encodes a value for the bus; throws (or rejects) when it cannot. */
  serialize(value: T): Raw | Promise<Raw>;
  /** Decodes what the bus stored; a throw is the record's decode failure. */
  deserialize(raw: Raw): T | Promise<T>;
}

/** A serde whose both directions are synchronous (usable by `memoryBus().produce`/`records`). */
export interface SyncSerde<T, Raw = Uint8Array | null> extends Serde<T, Raw> {
  /** Encodes a value for the bus, synchronously. */
  serialize(value: T): Raw;
  /** Decodes what the bus stored, synchronously. */
  deserialize(raw: Raw): T;
}

/** The decoding half of a {@link Serde}: what a source needs. */
export type Deserializer<T, Raw = Uint8Array | null> = Pick<Serde<T, Raw>, 'deserialize'>;

/** The encoding half of a {@link Serde}: what a sink needs. */
export type Serializer<T, Raw = Uint8Array | null> = Pick<Serde<T, Raw>, 'serialize'>;

/** What both buses store as a record's value: bytes, or `null` for a tombstone. */
export type Bytes = Uint8Array | null;

function asBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value)
    ? value
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * The default value encoding of both buses' sinks: bytes and text as they are (text as
 * UTF-8), `null`/`undefined` as a tombstone, anything else as JSON.
 */
export function encodeValue(value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return asBuffer(value);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** Bytes as UTF-8 text; a tombstone fails with DECODE_FAILED naming what was `expected`. */
function text(raw: Bytes, expected: string): string {
  if (raw === null) {
    throw new TributaryError('DECODE_FAILED', `expected ${expected}, got a tombstone (null value)`);
  }
  return asBuffer(raw).toString('utf8');
}

/**
 * UTF-8 text values. A tombstone (`null`) fails with DECODE_FAILED; give sources of
 * compacted topics a serde that accepts `null`.
 */
export function stringSerde(): SyncSerde<string> {
  return {
    serialize: (value) => Buffer.from(value, 'utf8'),
    deserialize: (raw) => text(raw, 'text'),
  };
}

/**
 * JSON values, trusted as `T` without checking: an explicit, unchecked cast. To validate
 * what arrives, use `json(schema)` from `@tributary/schema` instead. A value that is not
 * JSON (or a tombstone) fails with DECODE_FAILED, so the error policy dead-letters it.
 */
export function jsonSerde<T>(): SyncSerde<T> {
  return {
    serialize: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
    deserialize: (raw) => {
      const json = text(raw, 'JSON');
      try {
        return JSON.parse(json) as T;
      } catch (cause) {
        throw new TributaryError('DECODE_FAILED', `not JSON: ${(cause as Error).message}`, {
          cause,
        });
      }
    },
  };
}
