import type { StageObject } from '@tributary/core';
import type { WithFields } from './fieldTypes.js';
import { encryptValue } from './internal/fieldCipher.js';
import { fieldList } from './internal/fieldList.js';
import { updateField } from './internal/fieldPath.js';
import { type Keyring, loadKeyring } from './keyring.js';

/**
 * A stage encrypting fields (dotted paths) with AES-256-GCM, each field on its own with a
 * fresh IV, into a text token `enc:v1:<keyId>:<iv>:<ciphertext>:<tag>`. The token records
 * the key id (so keys can rotate) and is bound to its field path. The field's JSON is
 * encrypted, so {@link decryptFields} gives back numbers, objects and text alike.
 * Null and missing fields stay as they are.
 */
export function encryptFields<T = Record<string, unknown>, F extends string = string>(
  fields: readonly F[],
  keyring: Keyring,
  options: { readonly name?: string } = {},
): StageObject<T, WithFields<T, F, string>> {
  const paths = fieldList('fields', fields);
  const keys = loadKeyring('keyring', keyring);
  const keyId = keyring.current;
  const key = keys.get(keyId)!;
  return {
    name: options.name ?? 'encryptFields',
    process(value) {
      let out: unknown = value;
      for (const [field, path] of paths) {
        out = updateField(out, path, (v) => (v == null ? v : encryptValue(v, field, keyId, key)));
      }
      return out as WithFields<T, F, string>;
    },
  };
}
