/**
 * MurmurHash3's 32-bit finaliser (`fmix32`): mixes `h` so that every input bit flips each output
 * bit with probability about 1/2. Returns an unsigned 32-bit integer. Use it to spread a weak
 * hash (FNV, a counter) before taking its top bits.
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
