import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TributaryError } from '@tributary/core';
import type { SchemaErrorCode } from '../schemaErrorCode.js';

/** Marks encrypted fields: `enc:v1:<keyId>:<iv>:<ciphertext>:<tag>` (base64url parts). */
export const TOKEN_PREFIX = 'enc:v1:';

// The key id and field path are authenticated data: a token moved to another field, or
// relabelled with another key id, fails authentication instead of decrypting.
const aad = (keyId: string, field: string) => Buffer.from(`tributary:v1:${keyId}:${field}`);

/** Encrypts the JSON of `value` with AES-256-GCM under `key` (random 96-bit IV). */
export function encryptValue(value: unknown, field: string, keyId: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(keyId, field));
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${TOKEN_PREFIX}${keyId}:${iv.toString('base64url')}:${ct.toString('base64url')}:${tag.toString('base64url')}`;
}

/** Decrypts a token of {@link encryptValue}; throws SCHEMA_DECRYPT_FAILED or SCHEMA_UNKNOWN_KEY. */
export function decryptValue(
  token: unknown,
  field: string,
  keys: ReadonlyMap<string, Buffer>,
): unknown {
  const fail = (reason: string, message: string, keyId?: string, cause?: unknown) =>
    new TributaryError<SchemaErrorCode>('SCHEMA_DECRYPT_FAILED', `Field ${field}: ${message}`, {
      cause,
      details: { field, reason, ...(keyId === undefined ? {} : { keyId }) },
    });
  if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX)) {
    throw fail('not-encrypted', 'value is not an encrypted field token');
  }
  const parts = token.slice(TOKEN_PREFIX.length).split(':');
  const [keyId, ivText, ctText, tagText] = parts;
  if (
    parts.length !== 4 ||
    keyId === undefined ||
    ivText === undefined ||
    ctText === undefined ||
    tagText === undefined
  ) {
    throw fail('malformed', 'malformed encrypted field token');
  }
  const key = keys.get(keyId);
  if (key === undefined) {
    throw new TributaryError<SchemaErrorCode>(
      'SCHEMA_UNKNOWN_KEY',
      `Field ${field}: encrypted under key "${keyId}", which the keyring does not hold`,
      { details: { field, keyId } },
    );
  }
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.byteLength !== 12 || tag.byteLength !== 16) {
    throw fail('malformed', 'malformed encrypted field token (bad IV or tag length)', keyId);
  }
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(aad(keyId, field));
    decipher.setAuthTag(tag);
    plain = Buffer.concat([
      decipher.update(Buffer.from(ctText, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch (cause) {
    throw fail(
      'auth-failed',
      `ciphertext failed authentication under key "${keyId}": it was tampered with, truncated, moved from another field, or encrypted under a different key`,
      keyId,
      cause,
    );
  }
  return JSON.parse(plain);
}
