import { createHmac } from 'node:crypto';
import { invalidOption, type StageObject } from '@tributary/core';
import type { WithFields } from './fieldTypes.js';
import { fieldList } from './internal/fieldList.js';
import { updateField } from './internal/fieldPath.js';
import { LruCache } from './internal/lruCache.js';

/** Options of {@link pseudonymize}. */
export interface PseudonymizeOptions {
  /** Text form of the digest. Default `hex` (64 characters). */
  readonly encoding?: 'hex' | 'base64url';
  /** Stage name. Default `'pseudonymize'`. */
  readonly name?: string;
  /**
   * Remember the pseudonyms of up to this many distinct values (the least recently used is
   * forgotten), so a repeated identifier, such as a card seen again, skips the HMAC. The
   * cache holds the raw identifiers in memory while they are in it. Default 0: no cache.
   */
  readonly cacheSize?: number;
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
  return hmacOf(textOf(value), key, encoding);
}

/** The text a value is pseudonymised by: strings as they are, anything else as JSON. */
const textOf = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

const hmacOf = (text: string, key: SecretKey, encoding: 'hex' | 'base64url'): string =>
  createHmac('sha256', key).update(text, 'utf8').digest(encoding);

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
  const cacheSize = options.cacheSize ?? 0;
  if (!Number.isInteger(cacheSize) || cacheSize < 0) {
    throw invalidOption('cacheSize', 'an integer >= 0', cacheSize);
  }
  const cache = cacheSize > 0 ? new LruCache<string, string>(cacheSize) : undefined;
  const of = (v: unknown): unknown => {
    if (v == null) return v;
    const text = textOf(v);
    return cache === undefined
      ? hmacOf(text, key, encoding)
      : cache.get(text, () => hmacOf(text, key, encoding));
  };
  return {
    name: options.name ?? 'pseudonymize',
    process(value) {
      let out: unknown = value;
      for (const [, path] of paths) out = updateField(out, path, of);
      return out as WithFields<T, F, string>;
    },
  };
}
