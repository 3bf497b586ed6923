import { createHmac } from 'node:crypto';
import { invalidOption, type StageObject } from '@tributary/core';
import type { WithFields } from './fieldTypes.js';
import { fieldList } from './internal/fieldList.js';
import { updateField } from './internal/fieldPath.js';

/** Options of {@link pseudonymize}. */
export interface PseudonymizeOptions {
  /** Text form of the digest. Default `hex` (64 characters). */
  readonly encoding?: 'hex' | 'base64url';
  /** Stage name. Default `'pseudonymize'`. */
  readonly name?: string;
}

/** A secret of at least 16 bytes (32 recommended): bytes, or text used as UTF-8. */
export type SecretKey = Uint8Array | string;

/**
 * The pseudonym of one value: HMAC-SHA-256 under `key` of its text (strings as they
 * are, anything else as JSON, so `123` and `"123"` share a pseudonym). Use it to look
 * up a known identifier in pseudonymized data.
 */
export function pseudonym(
  value: unknown,
  key: SecretKey,
  encoding: 'hex' | 'base64url' = 'hex',
): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return createHmac('sha256', key).update(text, 'utf8').digest(encoding);
}

/**
 * A stage replacing identifier fields (dotted paths) with their HMAC-SHA-256
 * {@link pseudonym}: the same identifier always maps to the same pseudonym under one
 * key, so joins and per-key state still work, but the raw value cannot be recovered
 * without brute force over candidates *and* the key. Null and missing fields stay as they are.
 */
export function pseudonymize<T = Record<string, unknown>, F extends string = string>(
  fields: readonly F[],
  key: SecretKey,
  options: PseudonymizeOptions = {},
): StageObject<T, WithFields<T, F, string>> {
  const paths = fieldList('fields', fields);
  const bytes = typeof key === 'string' ? Buffer.byteLength(key, 'utf8') : key?.byteLength;
  if (!(typeof key === 'string' || key instanceof Uint8Array) || (bytes ?? 0) < 16) {
    throw invalidOption('key', 'a secret of at least 16 bytes (32 recommended)', typeof key);
  }
  const encoding = options.encoding ?? 'hex';
  if (encoding !== 'hex' && encoding !== 'base64url') {
    throw invalidOption('encoding', "'hex' or 'base64url'", encoding);
  }
  return {
    name: options.name ?? 'pseudonymize',
    process(value) {
      let out: unknown = value;
      for (const [, path] of paths) {
        out = updateField(out, path, (v) => (v == null ? v : pseudonym(v, key, encoding)));
      }
      return out as WithFields<T, F, string>;
    },
  };
}
