import type { Key } from '@tributary/core';

/** How a key that is not text is kept beside its `keyToString` form: 1 bytes, 2 null. */
export type KeyKind = 1 | 2;

/** The kind of `key` to keep, `undefined` for text. */
export function keyKind(key: Key): KeyKind | undefined {
  return key === null ? 2 : typeof key === 'string' ? undefined : 1;
}

/** The key a `keyToString` form came from (it keeps bytes as latin1). */
export function keyFrom(s: string, kind: KeyKind | undefined): Key {
  return kind === 1 ? new Uint8Array(Buffer.from(s, 'latin1')) : kind === 2 ? null : s;
}
