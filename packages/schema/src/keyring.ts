import { invalidOption } from '@tributary/core';

/**
 * AES-256 keys by id. New values are encrypted under `current`; every key stays usable
 * for decryption, so keys rotate by adding a new one and moving `current` to it.
 */
export interface Keyring {
  /** Id (a key of `keys`) of the key new values are encrypted under. */
  readonly current: string;
  /** 32-byte keys: bytes, or base64 text of 32 bytes (e.g. from an environment variable). */
  readonly keys: Readonly<Record<string, Uint8Array | string>>;
}

/** Key ids go into the ciphertext token, so they are kept to a safe alphabet. */
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Checks a keyring and decodes its keys; fails fast naming the bad entry. */
export function loadKeyring(option: string, keyring: Keyring): Map<string, Buffer> {
  if (typeof keyring !== 'object' || keyring === null || typeof keyring.keys !== 'object') {
    throw invalidOption(option, '{ current, keys: { [id]: 32-byte key } }', keyring);
  }
  const keys = new Map<string, Buffer>();
  for (const [id, raw] of Object.entries(keyring.keys)) {
    if (!KEY_ID.test(id)) throw invalidOption(`${option}.keys`, 'ids of [A-Za-z0-9_.-]{1,64}', id);
    const key = typeof raw === 'string' ? Buffer.from(raw, 'base64') : Buffer.from(raw ?? []);
    if (key.byteLength !== 32) {
      throw invalidOption(
        `${option}.keys.${id}`,
        'a 32-byte key (or base64 of one)',
        `${key.byteLength} bytes`,
      );
    }
    keys.set(id, key);
  }
  if (!keys.has(keyring.current)) {
    throw invalidOption(`${option}.current`, 'the id of a key in keys', keyring.current);
  }
  return keys;
}
