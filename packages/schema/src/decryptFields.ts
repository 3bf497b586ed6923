import type { StageObject } from '@tributary/core';
import { decryptValue } from './internal/fieldCipher.js';
import { fieldList } from './internal/fieldList.js';
import { updateField } from './internal/fieldPath.js';
import { type Keyring, loadKeyring } from './keyring.js';

/**
 * A stage decrypting fields written by {@link encryptFields}, under whichever key of the
 * keyring each token names. A tampered, truncated or moved token throws
 * SCHEMA_DECRYPT_FAILED (`details.reason` `auth-failed`, `malformed` or `not-encrypted`);
 * a token under a key the keyring lacks throws SCHEMA_UNKNOWN_KEY. `O` is the decrypted type.
 */
export function decryptFields<O = Record<string, unknown>, T = unknown>(
  fields: readonly string[],
  keyring: Keyring,
  options: { readonly name?: string } = {},
): StageObject<T, O> {
  const paths = fieldList('fields', fields);
  const keys = loadKeyring('keyring', keyring);
  return {
    name: options.name ?? 'decryptFields',
    // A failed authentication will fail again: do not retry it.
    retry: { retries: 0 },
    process(value) {
      let out: unknown = value;
      for (const [field, path] of paths) {
        out = updateField(out, path, (v) => (v == null ? v : decryptValue(v, field, keys)));
      }
      return out as O;
    },
  };
}
