import { invalidOption } from '@tributary/core';
import type { Rng } from './rng.js';

/** The caller's buffer (checked to hold `k` classes) or a new one, zeroed. */
export function probaBuffer(out: Float64Array | undefined, k: number): Float64Array {
  const p = out ?? new Float64Array(k);
  if (p.length < k) throw invalidOption('out', `a Float64Array of length >= ${k}`, p.length);
  p.fill(0);
  return p;
}

/** Index of the largest of the first `k` values (the first one on ties), -1 when k is 0. */
export function argmax(p: Float64Array, k: number): number {
  let best = -1;
  let bestP = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    if (p[c]! > bestP) {
      bestP = p[c]!;
      best = c;
    }
  }
  return best;
}

/**
 * Turns log-likelihoods into probabilities in place, over classes with `weights[c] > 0`
 * (the others get 0); `max` is the largest log-likelihood, for stability.
 */
export function softmaxWhere(p: Float64Array, weights: Float64Array, max: number): void {
  const k = weights.length;
  let z = 0;
  for (let c = 0; c < k; c++) {
    if (weights[c]! <= 0) {
      p[c] = 0;
      continue;
    }
    p[c] = Math.exp(p[c]! - max);
    z += p[c]!;
  }
  if (z > 0) for (let c = 0; c < k; c++) p[c] = p[c]! / z;
}

/** Something that scores options (bandit arms). */
export interface Scorer<X> {
  score(option: number, x: X): number;
}

/** Argmax of `scorer.score(i, x)` over `n` options, ties broken uniformly at random. */
export function pickBest<X>(n: number, scorer: Scorer<X>, x: X, rng: Rng): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  let ties = 0;
  for (let a = 0; a < n; a++) {
    const s = scorer.score(a, x);
    if (s > bestScore) {
      bestScore = s;
      best = a;
      ties = 1;
    } else if (s === bestScore) {
      // Reservoir sampling over the tied options: no allocation.
      ties += 1;
      if (rng.next() * ties < 1) best = a;
    }
  }
  return best;
}
