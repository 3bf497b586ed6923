import { inverse, Matrix } from 'ml-matrix';
import { checkArm, checkReward } from './armStats.js';
import { Base } from './base.js';
import { checkVector } from './checks.js';
import { pickBest } from './multiclass.js';
import type { Parts } from './parts.js';
import { Rng } from './rng.js';
import { arr, f64, type JsonObject, json, num, obj } from './snapshot.js';

/** Options every linear contextual bandit has. */
export interface LinearArmOptions {
  readonly arms: number;
  /** Ridge penalty: each arm's Gram matrix starts as lambda·I. */
  readonly lambda: number;
  readonly seed: number;
  readonly features?: number;
  /**
   * Sliding window: only the last `window` updates (over all arms) are kept; older ones are
   * subtracted again, so the policy forgets a market that has moved. Unset: keep everything.
   */
  readonly window?: number;
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
  /** Sliding window ring (only with `options.window`): arm, context and reward per slot. */
  private winArm = new Float64Array(0);
  private winX = new Float64Array(0);
  private winR = new Float64Array(0);
  private winOld = new Float64Array(0);
  /** Next slot to write, slots in use, updates since A⁻¹ and b were last rebuilt exactly. */
  private winHead = 0;
  private winCount = 0;
  private sinceRebuild = 0;

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
    const w = this.options.window;
    if (w !== undefined) {
      this.winArm = new Float64Array(w);
      this.winX = new Float64Array(w * d);
      this.winR = new Float64Array(w);
      this.winOld = new Float64Array(d);
      this.winHead = 0;
      this.winCount = 0;
      this.sinceRebuild = 0;
    }
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
    if (this.options.window !== undefined) this.slide(arm, x, reward, this.options.window);
  }

  /** Stores the update in the window and subtracts the one it pushes out. */
  private slide(arm: number, x: Float64Array, reward: number, w: number): void {
    const d = this.dim;
    const slot = this.winHead;
    const full = this.winCount === w;
    const oldArm = this.winArm[slot]!;
    const oldReward = this.winR[slot]!;
    if (full) this.winOld.set(this.winX.subarray(slot * d, (slot + 1) * d));
    else this.winCount += 1;
    this.winArm[slot] = arm;
    this.winX.set(x, slot * d);
    this.winR[slot] = reward;
    this.winHead = (slot + 1) % w;
    this.sinceRebuild += 1;
    // Rank-1 downdates accumulate rounding: rebuild A⁻¹ and b from the window once per window.
    if (this.sinceRebuild >= w) this.rebuild();
    else if (full) this.forget(oldArm, this.winOld, oldReward);
  }

  /** Removes an update from its arm: (A − xxᵀ)⁻¹ by Sherman–Morrison, b −= r·x. */
  private forget(arm: number, x: Float64Array, reward: number): void {
    const d = this.dim;
    const q = this.solve(arm, x);
    // A minus xxᵀ still contains λ·I, so 1 − xᵀA⁻¹x > 0 up to rounding; rebuild if not.
    if (!(1 - q > 1e-9)) {
      this.rebuild();
      return;
    }
    const { Ainv, v, b } = this;
    const base = arm * d * d;
    const k = 1 / (1 - q);
    for (let i = 0; i < d; i++) {
      const row = base + i * d;
      const vi = v[i]! * k;
      for (let j = 0; j < d; j++) Ainv[row + j] = Ainv[row + j]! + vi * v[j]!;
    }
    for (let i = 0; i < d; i++) b[arm * d + i] = b[arm * d + i]! - reward * x[i]!;
    this.updated(arm);
  }

  /** Recomputes every arm's A⁻¹ = (λI + Σ xxᵀ)⁻¹ and b = Σ r·x from the window (ml-matrix). */
  private rebuild(): void {
    const d = this.dim;
    const { arms, lambda } = this.options;
    const A = Array.from({ length: arms }, () => Matrix.eye(d).mul(lambda));
    this.b.fill(0);
    const w = this.winArm.length;
    for (let n = 0; n < this.winCount; n++) {
      const slot = (this.winHead - this.winCount + n + w) % w;
      const a = this.winArm[slot]!;
      const m = A[a]!;
      const r = this.winR[slot]!;
      for (let i = 0; i < d; i++) {
        const xi = this.winX[slot * d + i]!;
        this.b[a * d + i] = this.b[a * d + i]! + r * xi;
        for (let j = 0; j < d; j++) m.set(i, j, m.get(i, j) + xi * this.winX[slot * d + j]!);
      }
    }
    for (let a = 0; a < arms; a++) {
      const inv = inverse(A[a]!, true);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) this.Ainv[a * d * d + i * d + j] = inv.get(i, j);
      }
      this.updated(a);
    }
    this.sinceRebuild = 0;
  }

  /**
   * Merge rule (exact): per arm, A − λI = Σ xxᵀ and b = Σ r·x are summed, then A⁻¹ is
   * recomputed (ml-matrix). A sliding window cannot merge: peers' updates could never be
   * subtracted again when they leave the window.
   */
  protected override toParts(): Parts | undefined {
    if (this.options.window !== undefined) return undefined;
    const d = Math.max(this.dim, 0);
    const { arms, lambda } = this.options;
    const A = new Float64Array(arms * d * d);
    for (let a = 0; a < arms && this.dim >= 0; a++) {
      const inv = inverse(this.armMatrix(a), true);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          A[a * d * d + i * d + j] = inv.get(i, j) - (i === j ? lambda : 0);
        }
      }
    }
    let records = 0;
    for (const p of this.pulls) records += p;
    return {
      dim: this.dim,
      records,
      parts: {
        A: { kind: 'stat', values: A },
        b: { kind: 'stat', values: this.b },
        pulls: { kind: 'stat', values: this.pulls },
      },
    };
  }

  protected override fromParts(p: Parts): void {
    if (p.dim >= 0 && this.dim < 0) this.init(p.dim);
    this.pulls = p.parts.pulls!.values.slice();
    if (this.dim < 0) return;
    const d = this.dim;
    const { arms, lambda } = this.options;
    const A = p.parts.A!.values;
    this.b = p.parts.b!.values.slice();
    for (let a = 0; a < arms; a++) {
      const m = new Matrix(d, d);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          const base = a * d * d;
          m.set(i, j, (A[base + i * d + j]! + A[base + j * d + i]!) / 2 + (i === j ? lambda : 0));
        }
      }
      const inv = inverse(m, true);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) this.Ainv[a * d * d + i * d + j] = inv.get(i, j);
      }
      this.updated(a);
    }
  }

  /** Arm `a`'s A⁻¹ as an ml-matrix Matrix. */
  private armMatrix(a: number): Matrix {
    const d = this.dim;
    const m = new Matrix(d, d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) m.set(i, j, this.Ainv[a * d * d + i * d + j]!);
    }
    return m;
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
      ...(this.options.window === undefined
        ? {}
        : {
            window: {
              arm: json(this.winArm),
              x: json(this.winX),
              reward: json(this.winR),
              head: this.winHead,
              count: this.winCount,
              sinceRebuild: this.sinceRebuild,
            },
          }),
    };
  }

  protected importState(state: JsonObject): void {
    const dim = num(state, 'dim');
    if (dim >= 0) {
      this.init(dim);
      const { arms } = this.options;
      this.Ainv = f64(state, 'Ainv', arms * dim * dim);
      this.b = f64(state, 'b', arms * dim);
      const w = this.options.window;
      if (w !== undefined) {
        const win = obj(state, 'window');
        this.winArm = f64(win, 'arm', w);
        this.winX = f64(win, 'x', w * dim);
        this.winR = f64(win, 'reward', w);
        this.winHead = num(win, 'head');
        this.winCount = num(win, 'count');
        this.sinceRebuild = num(win, 'sinceRebuild');
      }
    }
    this.pulls = f64(state, 'pulls', this.options.arms);
    this.rng.setState(arr(state, 'rng'));
  }
}
