/** One step of mulberry32 on a 32-bit state held in `s.rng`: a uniform draw in [0, 1). */
export function nextRandom(s: { rng: number }): number {
  s.rng = (s.rng + 0x6d2b79f5) >>> 0;
  let t = s.rng;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A seeded uniform [0, 1) generator (mulberry32), reproducible across platforms. */
export function mulberry32(seed: number): () => number {
  const s = { rng: seed >>> 0 };
  return () => nextRandom(s);
}

/** A standard normal draw from `random` (Box-Muller). */
export function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
