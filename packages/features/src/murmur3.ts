import { fmix32 } from '@tributary/core';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const encoder = new TextEncoder();
// Reused UTF-8 buffer: hashing is on the per-record hot path.
let scratch = new Uint8Array(256);

/**
 * MurmurHash3 x86 32-bit of `input` (UTF-8 bytes of a string) with `seed`, as an unsigned
 * 32-bit integer. Use `murmur3(s) | 0` for the signed form scikit-learn's hasher uses.
 */
export function murmur3(input: string | Uint8Array, seed = 0): number {
  let bytes: Uint8Array;
  let len: number;
  if (typeof input === 'string') {
    if (scratch.length < input.length * 3) scratch = new Uint8Array(input.length * 3);
    len = encoder.encodeInto(input, scratch).written;
    bytes = scratch;
  } else {
    bytes = input;
    len = input.length;
  }
  let h = seed >>> 0;
  const blocks = len - (len % 4);
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = len & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2]! << 16;
    if (tail >= 2) k ^= bytes[blocks + 1]! << 8;
    k ^= bytes[blocks]!;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  return fmix32(h ^ len);
}
