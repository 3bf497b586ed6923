import type { Optimizer } from '../optimizer.js';
import type { Part, Parts } from './parts.js';
import { f64, type JsonObject, json, num } from './snapshot.js';

/**
 * Dense weights, intercept and optimizer state shared by the linear learners. The update
 * takes the loss gradient w.r.t. the raw output and forms each weight's gradient in place,
 * so a step allocates nothing.
 */
export class LinearCore {
  dim = -1;
  w = new Float64Array(0);
  bias = 0;
  private m = new Float64Array(0);
  private v = new Float64Array(0);
  private t = 0;
  /** Records learnt (merge weights). */
  records = 0;

  constructor(
    private readonly opt: Optimizer,
    private readonly l1: number,
    private readonly l2: number,
    private readonly interceptLr: number,
    initialBias = 0,
  ) {
    this.bias = initialBias;
  }

  /** Sizes the arrays for `d` features (first vector seen). */
  init(d: number): void {
    this.dim = d;
    this.w = new Float64Array(d);
    if (this.opt.type !== 'sgd') this.v = new Float64Array(d);
    if (this.opt.type === 'adam') this.m = new Float64Array(d);
  }

  /** w·x + b. */
  raw(x: Float64Array): number {
    const w = this.w;
    let s = this.bias;
    for (let i = 0; i < w.length; i++) s += w[i]! * x[i]!;
    return s;
  }

  /** One optimizer step for loss gradient `g` (d loss / d raw output, already weighted). */
  step(x: Float64Array, g: number): void {
    const { w, l2 } = this;
    const o = this.opt;
    const d = w.length;
    if (o.type === 'sgd') {
      const lr = o.lr;
      for (let i = 0; i < d; i++) w[i] = w[i]! - lr * (g * x[i]! + l2 * w[i]!);
    } else if (o.type === 'adagrad') {
      const { lr, eps } = o;
      const G = this.v;
      for (let i = 0; i < d; i++) {
        const gi = g * x[i]! + l2 * w[i]!;
        G[i] = G[i]! + gi * gi;
        w[i] = w[i]! - (lr * gi) / Math.sqrt(G[i]! + eps);
      }
    } else {
      const { lr, beta1, beta2, eps } = o;
      this.t += 1;
      const lrT = (lr * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
      const { m, v } = this;
      for (let i = 0; i < d; i++) {
        const gi = g * x[i]! + l2 * w[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        w[i] = w[i]! - (lrT * m[i]!) / (Math.sqrt(v[i]!) + eps);
      }
    }
    if (this.l1 > 0) {
      // Proximal (soft-threshold) step for L1 at the base rate: drives small weights to exactly 0.
      const thr = o.lr * this.l1;
      for (let i = 0; i < d; i++) {
        const wi = w[i]!;
        w[i] = wi > thr ? wi - thr : wi < -thr ? wi + thr : 0;
      }
    }
    this.bias -= this.interceptLr * g;
  }

  /** State as JSON. */
  state(): JsonObject {
    return {
      dim: this.dim,
      w: json(this.w),
      bias: this.bias,
      m: json(this.m),
      v: json(this.v),
      t: this.t,
      records: this.records,
    };
  }

  /** Restores from `state()`. */
  setState(s: JsonObject): void {
    this.dim = num(s, 'dim');
    const d = Math.max(this.dim, 0);
    this.w = f64(s, 'w', d);
    this.bias = num(s, 'bias');
    this.m = f64(s, 'm', this.opt.type === 'adam' && this.dim >= 0 ? d : 0);
    this.v = f64(s, 'v', this.opt.type !== 'sgd' && this.dim >= 0 ? d : 0);
    this.t = num(s, 't');
    this.records = typeof s.records === 'number' ? s.records : 0;
  }

  /**
   * Merge rule: weights and intercept are parameters (averaged, deltas added); AdaGrad's Σg²
   * and Adam's step count are statistics (summed); Adam's moments are state (record-weighted mean).
   */
  toParts(): Parts {
    const kind = this.opt.type;
    const parts: Record<string, Part> = {
      w: { kind: 'param', values: this.w },
      bias: { kind: 'param', values: Float64Array.of(this.bias) },
    };
    if (kind === 'adagrad') parts.G = { kind: 'stat', values: this.v };
    if (kind === 'adam') {
      parts.m = { kind: 'state', values: this.m };
      parts.v = { kind: 'state', values: this.v };
      parts.t = { kind: 'stat', values: Float64Array.of(this.t) };
    }
    return { dim: this.dim, records: this.records, parts };
  }

  /** Adopts merged parts (sizes the arrays if this core was untrained). */
  fromParts(p: Parts): void {
    if (p.dim >= 0 && this.dim < 0) this.init(p.dim);
    const get = (name: string) => p.parts[name]?.values;
    const copy = (to: Float64Array, name: string) => {
      const v = get(name);
      if (v !== undefined && to.length > 0) to.set(v.subarray(0, to.length));
    };
    copy(this.w, 'w');
    this.bias = get('bias')?.[0] ?? this.bias;
    copy(this.v, this.opt.type === 'adagrad' ? 'G' : 'v');
    copy(this.m, 'm');
    if (this.opt.type === 'adam') this.t = Math.round(get('t')?.[0] ?? this.t);
    this.records = p.records;
  }
}

/** Numerically safe logistic function. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Clamps `g` to [-c, c]. */
export function clip(g: number, c: number): number {
  return Math.min(c, Math.max(-c, g));
}
