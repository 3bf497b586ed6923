import { fmix32 } from '@tributary/core';

/**
 * HyperLogLog (Flajolet et al. 2007) with linear counting for small sets: distinct
 * counts in 2^p bytes with a standard error of about 1.04 / sqrt(2^p) (1.6% at p = 12).
 * Registers merge by maximum, so per-bucket sketches combine into a window's.
 */
export type Registers = Uint8Array;

/** Empty registers for precision `p` (4..16). */
export function hllCreate(p: number): Registers {
  return new Uint8Array(1 << p);
}

/** Adds an item, given its 32-bit hash. */
export function hllAdd(regs: Registers, hash: number): void {
  const p = Math.log2(regs.length);
  const index = hash >>> (32 - p);
  // Rank of the first 1-bit in the remaining 32 - p bits (1-based); all zero → 33 - p.
  const rest = (hash << p) >>> 0;
  const rank = rest === 0 ? 33 - p : Math.clz32(rest) + 1;
  if (rank > (regs[index] ?? 0)) regs[index] = rank;
}

/** Merges `from` into `into` (same precision). */
export function hllMerge(into: Registers, from: Registers): void {
  for (let i = 0; i < into.length; i++) {
    const v = from[i] ?? 0;
    if (v > (into[i] ?? 0)) into[i] = v;
  }
}

/** Estimated number of distinct items. */
export function hllEstimate(regs: Registers): number {
  const m = regs.length;
  let sum = 0;
  let zeros = 0;
  for (const r of regs) {
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
  const two32 = 2 ** 32;
  if (raw > two32 / 30) return -two32 * Math.log(1 - raw / two32);
  return raw;
}

/** 32-bit hash of a string: FNV-1a over UTF-16 units, then murmur3's finalizer to spread bits. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}
