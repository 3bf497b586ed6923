/** The state of a {@link mulberry32Step} generator: one unsigned 32-bit word, so it fits in a snapshot. */
export interface Mulberry32State {
  /** The generator's word, advanced by each step. */
  rng: number;
}

/**
 * One draw of mulberry32 from a state the caller keeps (in a stage's snapshot, say): advances
 * `state.rng` and returns a uniform number in [0, 1). Seed it with `{ rng: seed >>> 0 }`.
 */
export function mulberry32Step(state: Mulberry32State): number {
  state.rng = (state.rng + 0x6d2b79f5) >>> 0;
  let t = state.rng;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * A seeded generator of uniform numbers in [0, 1) (mulberry32): the same seed gives the same
 * stream on every platform, for reproducible sampling, tests and demos. Not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  const state: Mulberry32State = { rng: seed >>> 0 };
  return () => mulberry32Step(state);
}
