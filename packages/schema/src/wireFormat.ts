import { TributaryError } from '@tributary/core';
import type { SchemaErrorCode } from './schemaErrorCode.js';

/** First byte of every Confluent-framed record. */
export const MAGIC_BYTE = 0;

/** Length of the Confluent frame header: magic byte plus 4-byte schema id. */
export const WIRE_HEADER_BYTES = 5;

/**
 * Frames a payload in the Confluent wire format: magic byte 0, the schema id as a 4-byte
 * big-endian integer, then the payload (JSON text for JSON Schema).
 */
export function encodeWire(schemaId: number, payload: Uint8Array): Uint8Array {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) {
    throw new TributaryError(
      'INVALID_OPTION',
      `schema id must be a 32-bit unsigned integer, got ${schemaId}`,
      {
        details: { option: 'schemaId', got: schemaId },
      },
    );
  }
  const out = new Uint8Array(WIRE_HEADER_BYTES + payload.byteLength);
  out[0] = MAGIC_BYTE;
  new DataView(out.buffer).setUint32(1, schemaId, false);
  out.set(payload, WIRE_HEADER_BYTES);
  return out;
}

/** Splits a Confluent-framed record; throws SCHEMA_BAD_WIRE_FORMAT on a short or unframed one. */
export function decodeWire(bytes: Uint8Array): {
  /** The writer schema's registry id (bytes 1-4, big-endian). */
  schemaId: number;
  /** The encoded value after the 5-byte header. */
  payload: Uint8Array;
} {
  if (bytes.byteLength < WIRE_HEADER_BYTES || bytes[0] !== MAGIC_BYTE) {
    const why =
      bytes.byteLength < WIRE_HEADER_BYTES
        ? `only ${bytes.byteLength} bytes`
        : `magic byte ${bytes[0]} instead of 0`;
    throw new TributaryError<SchemaErrorCode>(
      'SCHEMA_BAD_WIRE_FORMAT',
      `Value is not in the Confluent wire format (${why})`,
      {
        details: {
          reason: 'bad-wire-format',
          byteLength: bytes.byteLength,
          firstByte: bytes[0] ?? null,
        },
      },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { schemaId: view.getUint32(1, false), payload: bytes.subarray(WIRE_HEADER_BYTES) };
}
