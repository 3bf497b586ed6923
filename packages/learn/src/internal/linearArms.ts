import { checkArm, checkReward } from './armStats.js';
import { Base } from './base.js';
import { checkVector } from './checks.js';
import { pickBest } from './multiclass.js';
import { Rng } from './rng.js';
import { arr, f64, type JsonObject, json, num } from './snapshot.js';

/** Options every linear contextual bandit has. */
export interface LinearArmOptions {
  readonly arms: number;
  /** Ridge penalty: each arm's Gram matrix starts as lambda·I. */
  readonly lambda: number;
  readonly seed: number;
  readonly features?: number;
}

/**
 * Per-arm ridge regression state for LinUCB / linear Thompson sampling: the inverse Gram
 * matrix A⁻¹ (kept by Sherman–Morrison rank-1 updates, O(d²), in place) and b = Σ r·x.
 */
export abstract class LinearArms<O extends LinearArmOptions> extends Base<O> {
  protected dim = -1;
  /** arms × d × d, row-major per arm. */
  protected Ainv = new Float64Array(0);
  /** arms × d. */
  protected b = new Float64Array(0);
  protected pulls: Float64Array;
  protected rng: Rng;
  /** Scratch: A⁻¹·x. */
  protected v = new Float64Array(0);

  constructor(options: O) {
    super(options);
    this.pulls = new Float64Array(options.arms);
    this.rng = new Rng(options.seed);
    // Sized lazily in check(): subclass fields are not initialised yet during this constructor.
  }

  get arms(): number {
    return this.options.arms;
  }

  protected init(d: number): void {
    this.dim = d;
    const { arms, lambda } = this.options;
    this.Ainv = new Float64Array(arms * d * d);
    for (let a = 0; a < arms; a++) {
      for (let i = 0; i < d; i++) this.Ainv[a * d * d + i * d + i] = 1 / lambda;
    }
    this.b = new Float64Array(arms * d);
    this.v = new Float64Array(d);
  }

  protected check(x: Float64Array): void {
    if (this.dim >= 0) {
      checkVector(x, this.dim);
      return;
    }
    this.init(checkVector(x, this.options.features ?? -1));
  }

  /** v = A⁻¹_arm · x; returns xᵀ A⁻¹ x. */
  protected solve(arm: number, x: Float64Array): number {
    const d = this.dim;
    const base = arm * d * d;
    const { Ainv, v } = this;
    let q = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      const row = base + i * d;
      for (let j = 0; j < d; j++) s += Ainv[row + j]! * x[j]!;
      v[i] = s;
      q += s * x[i]!;
    }
    return q;
  }

  update(arm: number, x: Float64Array, reward: number): void {
    checkArm(arm, this.options.arms);
    this.check(x);
    checkReward(reward);
    const d = this.dim;
    const q = this.solve(arm, x);
    const base = arm * d * d;
    const { Ainv, v, b } = this;
    // (A + x xᵀ)⁻¹ = A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x), A symmetric.
    const k = 1 / (1 + q);
    for (let i = 0; i < d; i++) {
      const row = base + i * d;
      const vi = v[i]! * k;
      for (let j = 0; j < d; j++) Ainv[row + j] = Ainv[row + j]! - vi * v[j]!;
    }
    const bb = arm * d;
    for (let i = 0; i < d; i++) b[bb + i] = b[bb + i]! + reward * x[i]!;
    this.pulls[arm] = this.pulls[arm]! + 1;
    this.updated(arm);
  }

  /** Hook after an arm's statistics change. */
  protected updated(_arm: number): void {}

  /** The policy's value of an arm for context x. */
  abstract score(arm: number, x: Float64Array): number;

  select(x: Float64Array): number {
    this.check(x);
    return pickBest(this.options.arms, this, x, this.rng);
  }

  protected exportState(): JsonObject {
    return {
      dim: this.dim,
      Ainv: json(this.Ainv),
      b: json(this.b),
      pulls: json(this.pulls),
      rng: this.rng.state(),
    };
  }

  protected importState(state: JsonObject): void {
    const dim = num(state, 'dim');
    if (dim >= 0) {
      this.init(dim);
      const { arms } = this.options;
      this.Ainv = f64(state, 'Ainv', arms * dim * dim);
      this.b = f64(state, 'b', arms * dim);
    }
    this.pulls = f64(state, 'pulls', this.options.arms);
    this.rng.setState(arr(state, 'rng'));
  }
}
