import { fmix32 } from '@tributary/core';
import { learnError } from './errors.js';

/**
 * A small seedable PRNG (sfc32, seeded through splitmix32) whose whole state is four uint32
 * words plus a cached normal deviate, so it can be snapshotted and resumed exactly.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private spare = Number.NaN;

  constructor(seed: number) {
    let s = seed >>> 0;
    // splitmix32: a Weyl sequence through MurmurHash3's finaliser.
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      return fmix32(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform uint32. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniform number in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** A standard normal deviate (polar Box–Muller; the second value is cached). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = Number.NaN;
      return v;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** A Gamma(shape, 1) deviate (Marsaglia–Tsang). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * this.next() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x = 0;
      let v = 0;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** A Beta(a, b) deviate. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x / (x + y);
  }

  /** The state as JSON numbers (the cached normal is `null` when absent). */
  state(): (number | null)[] {
    return [this.a, this.b, this.c, this.d, Number.isNaN(this.spare) ? null : this.spare];
  }

  /** Resumes from `state()`. */
  setState(state: readonly unknown[]): void {
    const [a, b, c, d, spare] = state;
    if (
      ![a, b, c, d].every((v) => typeof v === 'number') ||
      (spare !== null && typeof spare !== 'number')
    ) {
      throw learnError('LEARN_BAD_SNAPSHOT', 'Malformed snapshot: bad RNG state');
    }
    this.a = a as number;
    this.b = b as number;
    this.c = c as number;
    this.d = d as number;
    this.spare = spare === null ? Number.NaN : (spare as number);
  }
}
