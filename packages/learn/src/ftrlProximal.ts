import { Base } from './internal/base.js';
import { checkBoolean, checkVector, checkWeight, integer, positive } from './internal/checks.js';
import { sigmoid } from './internal/linearCore.js';
import type { Parts } from './internal/parts.js';
import { f64, type JsonObject, json, num } from './internal/snapshot.js';
import type { LinearClassifier, LinearWeights } from './linearModel.js';

/** Options of {@link ftrlProximal}; the defaults are River's `FTRLProximalClassifier`. */
export interface FtrlProximalOptions {
  /** Learning-rate scale α; default 0.05. */
  readonly alpha?: number;
  /** Learning-rate smoothing β; default 1. */
  readonly beta?: number;
  /** L1 penalty (gives exact zeros); default 0. */
  readonly l1?: number;
  /** L2 penalty; default 1. */
  readonly l2?: number;
  /** Number of features; default: the length of the first vector. */
  readonly features?: number;
}

interface Resolved {
  readonly alpha: number;
  readonly beta: number;
  readonly l1: number;
  readonly l2: number;
  readonly features?: number;
}

function resolve(o: FtrlProximalOptions): Resolved {
  return {
    alpha: positive('alpha', o.alpha ?? 0.05),
    beta: positive('beta', o.beta ?? 1, true),
    l1: positive('l1', o.l1 ?? 0, true),
    l2: positive('l2', o.l2 ?? 1, true),
    ...(o.features === undefined ? {} : { features: integer('features', o.features, 1) }),
  };
}

/**
 * FTRL-Proximal logistic regression (McMahan et al., 2013) with per-coordinate rates; the
 * intercept is an extra always-1 coordinate. Suits sparse, hashed features.
 */
export function ftrlProximal(options: FtrlProximalOptions = {}): LinearClassifier {
  return new Ftrl(resolve(options));
}

class Ftrl extends Base<Resolved> implements LinearClassifier {
  readonly kind = 'binary' as const;
  readonly type = 'ftrlProximal';
  private dim = -1;
  private z = new Float64Array(0);
  private n = new Float64Array(0);
  // Weights derived from z and n, refreshed by each prediction (scratch, not state).
  private w = new Float64Array(0);
  private records = 0;

  constructor(options: Resolved) {
    super(options);
    if (options.features !== undefined) this.init(options.features);
  }

  private init(d: number): void {
    this.dim = d;
    this.z = new Float64Array(d + 1);
    this.n = new Float64Array(d + 1);
    this.w = new Float64Array(d + 1);
  }

  predictProba(x: Float64Array): number {
    const d = checkVector(x, this.dim);
    if (this.dim < 0) return 0.5;
    this.weights();
    const w = this.w;
    let s = w[d]!;
    for (let i = 0; i < d; i++) s += w[i]! * x[i]!;
    return sigmoid(s);
  }

  /** Refreshes the weights from z and n (the closed form of FTRL's per-coordinate argmin). */
  private weights(): void {
    const { alpha, beta, l1, l2 } = this.options;
    const { z, n, w } = this;
    for (let i = 0; i < w.length; i++) {
      const zi = z[i]!;
      w[i] =
        Math.abs(zi) <= l1
          ? 0
          : -(zi - Math.sign(zi) * l1) / ((beta + Math.sqrt(n[i]!)) / alpha + l2);
    }
  }

  linearWeights(): LinearWeights {
    this.weights();
    const d = Math.max(this.dim, 0);
    return { weights: this.w.slice(0, d), intercept: this.w[d] ?? 0 };
  }

  predict(x: Float64Array): boolean {
    return this.predictProba(x) > 0.5;
  }

  learn(x: Float64Array, y: boolean, weight = 1): void {
    checkBoolean(y);
    checkWeight(weight);
    if (this.dim < 0) this.init(checkVector(x, -1));
    this.records += 1;
    const g = (this.predictProba(x) - (y ? 1 : 0)) * weight;
    const { z, n, w, dim } = this;
    const alpha = this.options.alpha;
    for (let i = 0; i <= dim; i++) {
      const gi = g * (i < dim ? x[i]! : 1);
      const ni = n[i]!;
      const sigma = (Math.sqrt(ni + gi * gi) - Math.sqrt(ni)) / alpha;
      z[i] = z[i]! + gi - sigma * w[i]!;
      n[i] = ni + gi * gi;
    }
  }

  protected create(options: unknown): this {
    return new Ftrl(resolve(options as FtrlProximalOptions)) as this;
  }

  protected exportState(): JsonObject {
    return { dim: this.dim, z: json(this.z), n: json(this.n), records: this.records };
  }

  /**
   * Merge rule: the weights FTRL derives from z and n are parameters (averaged, deltas
   * added) and n = Σg² a statistic (summed); z is then solved back from the merged weights
   * and n, so the merged model predicts with the merged weights and the per-coordinate rates
   * of one learner that saw every gradient.
   */
  protected override toParts(): Parts {
    this.weights();
    return {
      dim: this.dim,
      records: this.records,
      parts: { w: { kind: 'param', values: this.w.slice() }, n: { kind: 'stat', values: this.n } },
    };
  }

  protected override fromParts(p: Parts): void {
    if (p.dim < 0) return;
    if (this.dim < 0) this.init(p.dim);
    const { alpha, beta, l1, l2 } = this.options;
    const w = p.parts.w!.values;
    this.n.set(p.parts.n!.values);
    for (let i = 0; i < this.z.length; i++) {
      const wi = w[i]!;
      const ni = Math.max(0, this.n[i]!);
      this.n[i] = ni;
      // Inverse of the closed form: w = −(z − sign(z)·l1) / ((β + √n)/α + l2).
      this.z[i] = wi === 0 ? 0 : -wi * ((beta + Math.sqrt(ni)) / alpha + l2) - Math.sign(wi) * l1;
    }
    this.records = p.records;
  }

  protected importState(state: JsonObject): void {
    const dim = num(state, 'dim');
    this.init(dim);
    if (dim < 0) return;
    this.z = f64(state, 'z', dim + 1);
    this.n = f64(state, 'n', dim + 1);
    this.records = typeof state.records === 'number' ? state.records : 0;
  }
}
