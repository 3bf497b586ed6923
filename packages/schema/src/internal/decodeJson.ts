import { TributaryError } from '@tributary/core';
import secureJson from 'secure-json-parse';
import type { SchemaErrorCode } from '../schemaErrorCode.js';

// fatal: invalid UTF-8 throws instead of turning into U+FFFD, so corrupt bytes are caught.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reason for undecodable bytes, in `details.reason` and in validation counters. */
export type DecodeReason = 'not-utf8' | 'not-json' | 'unsafe-json';

/** UTF-8 text of `raw`; throws SCHEMA_NOT_UTF8. */
export function decodeUtf8(raw: Uint8Array): string {
  try {
    return utf8.decode(raw);
  } catch (cause) {
    throw new TributaryError<SchemaErrorCode>(
      'SCHEMA_NOT_UTF8',
      `Value is not valid UTF-8 (${raw.byteLength} bytes)`,
      { cause, details: { reason: 'not-utf8', byteLength: raw.byteLength } },
    );
  }
}

// `__proto__` keys and `constructor.prototype` paths are refused, not dropped: a decoded
// value merged with Object.assign or a deep merge would otherwise change prototypes
// (prototype pollution), and dropping them silently would alter the record.
const guard = { protoAction: 'error', constructorAction: 'error' } as const;

/**
 * Parses JSON text; throws SCHEMA_NOT_JSON with the parser's message, or SCHEMA_UNSAFE_JSON
 * for a `__proto__` key or a `constructor.prototype` path.
 */
export function parseJson(text: string): unknown {
  try {
    // secure-json-parse runs JSON.parse, then two regular expressions over the text for a
    // `"__proto__":` or `"constructor":` key, either spelt with `\u` escapes; without any of
    // these substrings (nearly every record) neither can match, and three substring scans cost
    // less than the two expressions. A leading BOM, which it strips, takes its path too.
    if (
      text.indexOf('\\u') === -1 &&
      text.indexOf('__proto__') === -1 &&
      text.indexOf('constructor') === -1 &&
      text.charCodeAt(0) !== 0xfeff
    ) {
      return JSON.parse(text);
    }
    return secureJson.parse(text, undefined, guard);
  } catch (guardError) {
    // Rare path: a syntax error fails the plain parser too; a refused key does not.
    throw (
      syntaxError(text) ??
      new TributaryError<SchemaErrorCode>(
        'SCHEMA_UNSAFE_JSON',
        'Value is JSON with a `__proto__` key or a `constructor.prototype` path, refused to prevent prototype pollution',
        { cause: guardError, details: { reason: 'unsafe-json', length: text.length } },
      )
    );
  }
}

/** SCHEMA_NOT_JSON with the parser's message when `text` is not JSON at all. */
function syntaxError(text: string): TributaryError<SchemaErrorCode> | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return new TributaryError<SchemaErrorCode>('SCHEMA_NOT_JSON', `Value is not JSON: ${message}`, {
      cause,
      details: { reason: 'not-json', error: message, length: text.length },
    });
  }
}

/** Bytes (UTF-8 JSON) or text (JSON) to a value; a tombstone (`null`) is SCHEMA_NOT_JSON. */
export function decodeJson(raw: Uint8Array | string | null): unknown {
  if (raw === null) {
    throw new TributaryError<SchemaErrorCode>(
      'SCHEMA_NOT_JSON',
      'Value is a tombstone (null), not JSON',
      { details: { reason: 'not-json', error: 'tombstone', length: 0 } },
    );
  }
  return parseJson(typeof raw === 'string' ? raw : decodeUtf8(raw));
}

const encoder = new TextEncoder();

/** A value as UTF-8 JSON bytes; throws SCHEMA_NOT_SERIALIZABLE. */
export function encodeJson(value: unknown): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new TributaryError<SchemaErrorCode>(
      'SCHEMA_NOT_SERIALIZABLE',
      `Value cannot be written as JSON: ${message}`,
      { cause, details: { error: message } },
    );
  }
  if (text === undefined) {
    throw new TributaryError<SchemaErrorCode>(
      'SCHEMA_NOT_SERIALIZABLE',
      `Value cannot be written as JSON: ${typeof value} has no JSON form`,
      { details: { error: `${typeof value} has no JSON form` } },
    );
  }
  return encoder.encode(text);
}
