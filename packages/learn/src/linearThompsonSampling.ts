import { inverse, Matrix } from 'ml-matrix';
import type { ContextualBandit } from './bandit.js';
import { integer, positive } from './internal/checks.js';
import { cholesky } from './internal/cholesky.js';
import { learnError } from './internal/errors.js';
import { type LinearArmOptions, LinearArms } from './internal/linearArms.js';
import type { Mergeable } from './mergeable.js';

/** Options of {@link linearThompsonSampling}. */
export interface LinearThompsonSamplingOptions {
  /** Number of arms. */
  readonly arms: number;
  /** Scale v of the posterior: θ ~ N(μ, v²·A⁻¹); default 1. */
  readonly scale?: number;
  /** Ridge penalty λ (A starts as λ·I); default 1. */
  readonly lambda?: number;
  /** RNG seed; default 42. */
  readonly seed?: number;
  /** Context dimension; default: the length of the first vector. */
  readonly features?: number;
  /**
   * Forget all but the last `window` updates (over all arms): a sliding-window bandit for
   * markets that move. Default: keep everything.
   */
  readonly window?: number;
}

interface Resolved extends LinearArmOptions {
  readonly scale: number;
}

function resolve(o: LinearThompsonSamplingOptions): Resolved {
  return {
    arms: integer('arms', o.arms, 1),
    scale: positive('scale', o.scale ?? 1, true),
    lambda: positive('lambda', o.lambda ?? 1),
    seed: integer('seed', o.seed ?? 42, 0),
    ...(o.features === undefined ? {} : { features: integer('features', o.features, 1) }),
    ...(o.window === undefined ? {} : { window: integer('window', o.window, 1) }),
  };
}

/**
 * Linear Thompson sampling (Agrawal & Goyal, 2013): per arm, samples θ ~ N(A⁻¹b, v²A⁻¹) and
 * plays the arm with the largest θᵀx. The Cholesky factor of A⁻¹ is recomputed in place only after
 * the arm's update, so selection allocates nothing (ml-matrix rebuilds A⁻¹ if rounding ever
 * breaks positive definiteness). With `window`, only the last `window` updates shape the
 * posterior (sliding window, as {@link linUcb}'s).
 */
export function linearThompsonSampling(
  options: LinearThompsonSamplingOptions,
): ContextualBandit & Mergeable {
  return new LinearTs(resolve(options));
}

class LinearTs extends LinearArms<Resolved> implements ContextualBandit, Mergeable {
  readonly type = 'linearThompsonSampling';
  /** Per arm: posterior mean μ = A⁻¹b and lower Cholesky factor L of A⁻¹ (scratch caches). */
  private mu = new Float64Array(0);
  private L = new Float64Array(0);
  private dirty = new Uint8Array(0);
  private z = new Float64Array(0);

  protected override init(d: number): void {
    super.init(d);
    const { arms } = this.options;
    this.mu = new Float64Array(arms * d);
    this.L = new Float64Array(arms * d * d);
    this.dirty = new Uint8Array(arms).fill(1);
    this.z = new Float64Array(d);
  }

  protected override updated(arm: number): void {
    this.dirty[arm] = 1;
  }

  protected override importState(state: Parameters<LinearArms<Resolved>['importState']>[0]): void {
    super.importState(state);
    this.dirty.fill(1);
  }

  private refresh(arm: number): void {
    const d = this.dim;
    const base = arm * d * d;
    if (!cholesky(this.Ainv, this.L, base, d)) {
      // Rounding in the rank-1 updates broke positive definiteness (rare): rebuild A⁻¹ with
      // ml-matrix from A = (A⁻¹)⁻¹ plus a tiny ridge, then factorise again.
      const rows: number[][] = [];
      for (let i = 0; i < d; i++) {
        rows.push(Array.from(this.Ainv.subarray(base + i * d, base + (i + 1) * d)));
      }
      const A = inverse(new Matrix(rows), true).add(Matrix.eye(d).mul(1e-9));
      const cov = inverse(A.add(A.transpose()).div(2), true);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) this.Ainv[base + i * d + j] = cov.get(i, j);
      }
      if (!cholesky(this.Ainv, this.L, base, d)) {
        throw learnError(
          'LEARN_NUMERICAL',
          'linearThompsonSampling: posterior covariance is not positive definite',
          { arm },
        );
      }
    }
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += this.Ainv[base + i * d + j]! * this.b[arm * d + j]!;
      this.mu[arm * d + i] = s;
    }
    this.dirty[arm] = 0;
  }

  score(arm: number, x: Float64Array): number {
    if (this.dirty[arm] === 1) this.refresh(arm);
    const d = this.dim;
    const { z, L, mu } = this;
    for (let i = 0; i < d; i++) z[i] = this.rng.normal();
    // θᵀx with θ = μ + v·L·z:  μᵀx + v·Σ_i x_i (L z)_i.
    const base = arm * d * d;
    let mean = 0;
    let noise = 0;
    for (let i = 0; i < d; i++) {
      mean += mu[arm * d + i]! * x[i]!;
      let lz = 0;
      for (let j = 0; j <= i; j++) lz += L[base + i * d + j]! * z[j]!;
      noise += x[i]! * lz;
    }
    return mean + this.options.scale * noise;
  }

  protected create(options: unknown): this {
    return new LinearTs(resolve(options as LinearThompsonSamplingOptions)) as this;
  }
}
