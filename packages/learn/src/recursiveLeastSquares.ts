import { inverse, Matrix } from 'ml-matrix';
import { Base } from './internal/base.js';
import {
  between,
  checkTarget,
  checkVector,
  checkWeight,
  integer,
  positive,
} from './internal/checks.js';
import type { Parts } from './internal/parts.js';
import { f64, type JsonObject, json, num } from './internal/snapshot.js';
import type { LinearRegressor, LinearWeights } from './linearModel.js';

/** Options of {@link recursiveLeastSquares}. */
export interface RecursiveLeastSquaresOptions {
  /** Forgetting factor λ in (0, 1]; 1 (default) weighs all history equally. */
  readonly forgetting?: number;
  /** Ridge penalty δ: the inverse covariance starts as δ·I; default 1. */
  readonly delta?: number;
  /** Learn an intercept (an always-1 coordinate); default true. */
  readonly fitIntercept?: boolean;
  /**
   * Bound on the trace of the covariance P, as a multiple of its initial trace (m/δ for m
   * coordinates); default 1000. With `forgetting < 1`, P grows as λ^-t along directions the
   * inputs never excite (a one-hot block with an intercept, a feature that stays constant), and
   * the rounding of those huge entries then wrecks the predictions. While the trace is over the
   * bound an update does not forget (λ = 1 for that step), so P stays bounded. No effect when
   * `forgetting` is 1.
   */
  readonly maxTrace?: number;
  /** Number of features; default: the length of the first vector. */
  readonly features?: number;
}

interface Resolved {
  readonly forgetting: number;
  readonly delta: number;
  readonly fitIntercept: boolean;
  readonly maxTrace: number;
  readonly features?: number;
}

function resolve(o: RecursiveLeastSquaresOptions): Resolved {
  return {
    forgetting: between('forgetting', o.forgetting ?? 1, Number.MIN_VALUE, 1),
    delta: positive('delta', o.delta ?? 1),
    fitIntercept: o.fitIntercept ?? true,
    maxTrace: between('maxTrace', o.maxTrace ?? 1000, 1, Number.MAX_VALUE),
    ...(o.features === undefined ? {} : { features: integer('features', o.features, 1) }),
  };
}

/** A recursive-least-squares regressor whose weights and covariance can be read. */
export interface RecursiveLeastSquares extends LinearRegressor {
  /** P, the inverse of the (forgetting-weighted, ridge) Gram matrix, as an ml-matrix Matrix. */
  covariance(): Matrix;
}

/**
 * Recursive least squares: the exact online solution of (forgetting-weighted) ridge
 * regression. Each update is a rank-1 (Sherman–Morrison) step on the inverse Gram matrix, O(d²)
 * in place on typed arrays; `covariance()` exposes it as an ml-matrix Matrix.
 */
export function recursiveLeastSquares(
  options: RecursiveLeastSquaresOptions = {},
): RecursiveLeastSquares {
  return new Rls(resolve(options));
}

class Rls extends Base<Resolved> implements RecursiveLeastSquares {
  readonly kind = 'regressor' as const;
  readonly type = 'recursiveLeastSquares';
  private dim = -1;
  /** Coordinates: the features, plus one for the intercept. */
  private m = 0;
  private theta = new Float64Array(0);
  /** Row-major m×m inverse Gram matrix. */
  private P = new Float64Array(0);
  private pi = new Float64Array(0);
  private records = 0;

  constructor(options: Resolved) {
    super(options);
    if (options.features !== undefined) this.init(options.features);
  }

  private init(d: number): void {
    this.dim = d;
    const m = d + (this.options.fitIntercept ? 1 : 0);
    this.m = m;
    this.theta = new Float64Array(m);
    this.P = new Float64Array(m * m);
    this.pi = new Float64Array(m);
    for (let i = 0; i < m; i++) this.P[i * m + i] = 1 / this.options.delta;
  }

  predict(x: Float64Array): number {
    const d = checkVector(x, this.dim);
    // Untrained and unsized: the prior mean is 0 (predict never fixes the dimension).
    if (this.dim < 0) return 0;
    const t = this.theta;
    let s = this.options.fitIntercept ? t[d]! : 0;
    for (let i = 0; i < d; i++) s += t[i]! * x[i]!;
    return s;
  }

  learn(x: Float64Array, y: number, weight = 1): void {
    checkTarget(y);
    checkWeight(weight);
    if (this.dim < 0) this.init(checkVector(x, -1));
    const err = y - this.predict(x);
    if (weight === 0) return;
    this.records += weight;
    const { m, P, pi, theta, dim } = this;
    // π = P·x̃ with x̃ = [x, 1]; tr(P) on the way, for the bound.
    let xPx = 0;
    let trace = 0;
    for (let i = 0; i < m; i++) {
      let s = 0;
      const row = i * m;
      for (let j = 0; j < m; j++) s += P[row + j]! * (j < dim ? x[j]! : 1);
      pi[i] = s;
      xPx += s * (i < dim ? x[i]! : 1);
      trace += P[row + i]!;
    }
    const bound = (this.options.maxTrace * m) / this.options.delta;
    const lambda = trace > bound ? 1 : this.options.forgetting;
    const denom = lambda / weight + xPx;
    // θ += k·err with k = π / denom;  P = (P − k·πᵀ) / λ, computed on the upper triangle and
    // mirrored so rounding cannot make P asymmetric.
    for (let i = 0; i < m; i++) theta[i] = theta[i]! + (pi[i]! / denom) * err;
    for (let i = 0; i < m; i++) {
      const ki = pi[i]! / denom;
      const row = i * m;
      for (let j = i; j < m; j++) {
        const v = (P[row + j]! - ki * pi[j]!) / lambda;
        P[row + j] = v;
        P[j * m + i] = v;
      }
    }
  }

  linearWeights(): LinearWeights {
    const d = Math.max(this.dim, 0);
    return {
      weights: this.theta.slice(0, d),
      intercept: this.options.fitIntercept ? (this.theta[d] ?? 0) : 0,
    };
  }

  covariance(): Matrix {
    const m = this.m;
    const rows: number[][] = [];
    for (let i = 0; i < m; i++) rows.push(Array.from(this.P.subarray(i * m, (i + 1) * m)));
    return new Matrix(rows);
  }

  protected create(options: unknown): this {
    return new Rls(resolve(options as RecursiveLeastSquaresOptions)) as this;
  }

  protected exportState(): JsonObject {
    return { dim: this.dim, theta: json(this.theta), P: json(this.P), records: this.records };
  }

  /**
   * Merge rule: the ridge statistics A = P⁻¹ − δI (Σ x̃x̃ᵀ) and b = P⁻¹θ (Σ y·x̃) are summed,
   * then P = (δI + A)⁻¹ and θ = P·b: exact with `forgetting` 1 (the solution on all records).
   */
  protected override toParts(): Parts {
    const m = this.m;
    const A = new Float64Array(m * m);
    const b = new Float64Array(m);
    if (this.dim >= 0) {
      const inv = inverse(this.covariance(), true);
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < m; j++) {
          const v = inv.get(i, j);
          A[i * m + j] = v - (i === j ? this.options.delta : 0);
          s += v * this.theta[j]!;
        }
        b[i] = s;
      }
    }
    return {
      dim: this.dim,
      records: this.records,
      parts: { A: { kind: 'stat', values: A }, b: { kind: 'stat', values: b } },
    };
  }

  protected override fromParts(p: Parts): void {
    if (p.dim < 0) return;
    if (this.dim < 0) this.init(p.dim);
    const m = this.m;
    const A = p.parts.A!.values;
    const b = p.parts.b!.values;
    const full = new Matrix(m, m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        // Symmetrised so rounding cannot make P asymmetric.
        const v = (A[i * m + j]! + A[j * m + i]!) / 2 + (i === j ? this.options.delta : 0);
        full.set(i, j, v);
      }
    }
    const P = inverse(full, true);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) {
        this.P[i * m + j] = P.get(i, j);
        s += P.get(i, j) * b[j]!;
      }
      this.theta[i] = s;
    }
    this.records = p.records;
  }

  protected importState(state: JsonObject): void {
    const dim = num(state, 'dim');
    if (dim < 0) return;
    this.init(dim);
    this.theta = f64(state, 'theta', this.m);
    this.P = f64(state, 'P', this.m * this.m);
    this.records = typeof state.records === 'number' ? state.records : 0;
  }
}
