import { invalidOption } from '@tributary/core';
import { Base } from './internal/base.js';
import { checkVector, checkWeight, integer } from './internal/checks.js';
import { Rng } from './internal/rng.js';
import { f64, type JsonObject, json, num } from './internal/snapshot.js';
import type { AnomalyDetector } from './learner.js';

/** Options of {@link halfSpaceTrees}; the defaults are River's `HalfSpaceTrees`. */
export interface HalfSpaceTreesOptions {
  /** Number of trees; default 10. */
  readonly trees?: number;
  /** Depth of each (complete) tree; default 8. */
  readonly height?: number;
  /** Records per window: mass profiles are swapped every `windowSize` records; default 250. */
  readonly windowSize?: number;
  /** Range [min, max] of each feature; default [0, 1] for every feature (scale them first). */
  readonly limits?: readonly (readonly [number, number])[];
  /** Seed of the random tree structure; default 42. */
  readonly seed?: number;
  /** Number of features; default: the length of the first vector (or of `limits`). */
  readonly features?: number;
}

interface Resolved {
  readonly trees: number;
  readonly height: number;
  readonly windowSize: number;
  readonly limits?: readonly (readonly [number, number])[];
  readonly seed: number;
  readonly features?: number;
}

function resolve(o: HalfSpaceTreesOptions): Resolved {
  const limits = o.limits;
  if (limits !== undefined) {
    limits.forEach(([lo, hi], i) => {
      if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
        throw invalidOption(`limits[${i}]`, 'a finite [min, max] with min < max', [lo, hi]);
      }
    });
  }
  const features = o.features ?? limits?.length;
  if (limits !== undefined && features !== limits.length) {
    throw invalidOption('features', `${limits.length} (the length of limits)`, features);
  }
  return {
    trees: integer('trees', o.trees ?? 10, 1),
    height: integer('height', o.height ?? 8, 1),
    windowSize: integer('windowSize', o.windowSize ?? 250, 1),
    ...(limits === undefined ? {} : { limits: limits.map(([lo, hi]) => [lo, hi] as const) }),
    seed: integer('seed', o.seed ?? 42, 0),
    ...(features === undefined ? {} : { features: integer('features', features, 1) }),
  };
}

// River's padding: split points are drawn away from the edges of a node's range.
const PADDING = 0.15;

/**
 * Half-Space Trees (Tan et al., 2011): random complete trees over the feature ranges count how
 * many records of the last window fell in each cell; a record landing in sparsely populated
 * cells gets a high score. Scores are 0 during the first window.
 */
export function halfSpaceTrees(options: HalfSpaceTreesOptions = {}): AnomalyDetector {
  return new Hst(resolve(options));
}

class Hst extends Base<Resolved> implements AnomalyDetector {
  readonly kind = 'anomaly' as const;
  readonly type = 'halfSpaceTrees';
  private dim = -1;
  private feature = new Int32Array(0);
  private threshold = new Float64Array(0);
  private lMass = new Float64Array(0);
  private rMass = new Float64Array(0);
  private counter = 0;
  private firstWindow = true;
  // Where `predict` stopped in each tree for the vector in `walked` (a node on its path): `learn`
  // of an equal vector (the usual score-then-learn) goes down from there, not from the root.
  private stops = new Int32Array(0);
  private walked = new Float64Array(0);
  private hasWalk = false;
  private readonly inner: number;
  private readonly nodes: number;

  constructor(options: Resolved) {
    super(options);
    this.inner = 2 ** options.height - 1;
    this.nodes = 2 ** (options.height + 1) - 1;
    if (options.features !== undefined) this.init(options.features);
  }

  private init(d: number): void {
    this.dim = d;
    const { trees, seed } = this.options;
    this.feature = new Int32Array(trees * this.inner);
    this.threshold = new Float64Array(trees * this.inner);
    this.lMass = new Float64Array(trees * this.nodes);
    this.rMass = new Float64Array(trees * this.nodes);
    this.forgetWalk();
    const rng = new Rng(seed);
    const lo = new Float64Array(d);
    const hi = new Float64Array(d);
    for (let t = 0; t < trees; t++) {
      for (let f = 0; f < d; f++) {
        const lim = this.options.limits?.[f];
        lo[f] = lim?.[0] ?? 0;
        hi[f] = lim?.[1] ?? 1;
      }
      this.build(t * this.inner, 0, rng, lo, hi);
    }
  }

  /** Fills internal node `i` (heap order) of the tree whose nodes start at `base`. */
  private build(base: number, i: number, rng: Rng, lo: Float64Array, hi: Float64Array): void {
    if (i >= this.inner) return;
    // Pick a feature with probability proportional to its remaining range width (as River).
    let width = 0;
    for (let f = 0; f < this.dim; f++) width += hi[f]! - lo[f]!;
    let r = rng.next() * width;
    let f = 0;
    while (f < this.dim - 1 && r >= hi[f]! - lo[f]!) {
      r -= hi[f]! - lo[f]!;
      f++;
    }
    const a = lo[f]!;
    const b = hi[f]!;
    const at = rng.uniform(a + PADDING * (b - a), b - PADDING * (b - a));
    this.feature[base + i] = f;
    this.threshold[base + i] = at;
    hi[f] = at;
    this.build(base, 2 * i + 1, rng, lo, hi);
    hi[f] = b;
    lo[f] = at;
    this.build(base, 2 * i + 2, rng, lo, hi);
    lo[f] = a;
  }

  predict(x: Float64Array): number {
    checkVector(x, this.dim);
    if (this.firstWindow) return 0;
    const { trees, windowSize, height } = this.options;
    const { rMass, feature, threshold, inner, nodes, stops } = this;
    const sizeLimit = 0.1 * windowSize;
    let score = 0;
    for (let t = 0; t < trees; t++) {
      const fb = t * inner;
      const mb = t * nodes;
      let i = 0;
      // Walk down while the cell is well populated; deeper cells weigh 2^depth.
      for (let scale = 1; ; scale *= 2) {
        const mass = rMass[mb + i]!;
        score += mass * scale;
        if (mass < sizeLimit || i >= inner) break;
        i = x[feature[fb + i]!]! < threshold[fb + i]! ? 2 * i + 1 : 2 * i + 2;
      }
      stops[t] = i;
    }
    this.walked.set(x);
    this.hasWalk = true;
    const maxScore = trees * windowSize * (2 ** (height + 1) - 1);
    return 1 - score / maxScore;
  }

  learn(x: Float64Array, _y?: undefined, weight = 1): void {
    this.check(x);
    checkWeight(weight);
    const { trees, windowSize } = this.options;
    const { lMass, feature, threshold, inner, nodes, stops } = this;
    const walked = this.hasWalk && sameValues(x, this.walked);
    for (let t = 0; t < trees; t++) {
      const fb = t * inner;
      const mb = t * nodes;
      // Down to x's leaf, then every node of its path gains the weight (a node's parent is
      // (i − 1) >> 1 in this layout): the nodes the walk from the root would have added to.
      let i = walked ? stops[t]! : 0;
      while (i < inner) i = x[feature[fb + i]!]! < threshold[fb + i]! ? 2 * i + 1 : 2 * i + 2;
      for (;;) {
        lMass[mb + i] = lMass[mb + i]! + weight;
        if (i === 0) break;
        i = (i - 1) >> 1;
      }
    }
    this.counter += 1;
    if (this.counter === windowSize) {
      // The latest window becomes the reference profile.
      this.rMass.set(lMass);
      lMass.fill(0);
      this.firstWindow = false;
      this.counter = 0;
    }
  }

  private forgetWalk(): void {
    this.stops = new Int32Array(this.options.trees);
    this.walked = new Float64Array(Math.max(0, this.dim));
    this.hasWalk = false;
  }

  private check(x: Float64Array): void {
    const d = checkVector(x, this.dim);
    if (this.dim < 0) this.init(d);
  }

  protected create(options: unknown): this {
    return new Hst(resolve(options as HalfSpaceTreesOptions)) as this;
  }

  protected exportState(): JsonObject {
    return {
      dim: this.dim,
      feature: Array.from(this.feature),
      threshold: json(this.threshold),
      lMass: json(this.lMass),
      rMass: json(this.rMass),
      counter: this.counter,
      firstWindow: this.firstWindow,
    };
  }

  protected importState(state: JsonObject): void {
    const dim = num(state, 'dim');
    if (dim < 0) return;
    this.dim = dim;
    const n = this.options.trees * this.inner;
    const m = this.options.trees * this.nodes;
    this.feature = Int32Array.from(f64(state, 'feature', n));
    this.threshold = f64(state, 'threshold', n);
    this.lMass = f64(state, 'lMass', m);
    this.rMass = f64(state, 'rMass', m);
    this.counter = num(state, 'counter');
    this.firstWindow = state.firstWindow !== false;
    this.forgetWalk();
  }
}

/** Whether `a` and `b` hold the same values (same length). */
function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
