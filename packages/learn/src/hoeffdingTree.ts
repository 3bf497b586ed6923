import { invalidOption } from '@tributary/core';
import { Base } from './internal/base.js';
import {
  between,
  checkClass,
  checkVector,
  checkWeight,
  integer,
  positive,
} from './internal/checks.js';
import { learnError } from './internal/errors.js';
import { logPdf, normalCdf, sampleVariance, welford } from './internal/gaussian.js';
import { argmax, probaBuffer, softmaxWhere } from './internal/multiclass.js';
import { arr, f64, type JsonObject, json, num, obj } from './internal/snapshot.js';
import type { JsonValue, MulticlassClassifier } from './learner.js';

/** How a leaf predicts: majority class, naive Bayes, or whichever has been more accurate there. */
export type LeafPrediction = 'mc' | 'nb' | 'nba';

/** Options of {@link hoeffdingTree}; the defaults are River's `HoeffdingTreeClassifier`. */
export interface HoeffdingTreeOptions {
  /** Weight a leaf must see between split attempts; default 200. */
  readonly gracePeriod?: number;
  /** Allowed probability of choosing the wrong split (Hoeffding bound δ); default 1e-7. */
  readonly delta?: number;
  /** Split anyway when the bound falls below this tie threshold; default 0.05. */
  readonly tau?: number;
  /** Maximum depth; default unlimited. */
  readonly maxDepth?: number;
  /** Candidate thresholds per numeric feature (Gaussian approximation); default 10. */
  readonly splits?: number;
  /** A split must send more than this fraction of the weight to at least two branches; default 0.01. */
  readonly minBranchFraction?: number;
  /** Leaf prediction; default 'nba' (naive Bayes adaptive). */
  readonly leafPrediction?: LeafPrediction;
  /** Weight a leaf must see before naive Bayes is used; default 0. */
  readonly nbThreshold?: number;
  /** Number of features; default: the length of the first vector. */
  readonly features?: number;
}

interface Resolved {
  readonly gracePeriod: number;
  readonly delta: number;
  readonly tau: number;
  readonly maxDepth?: number;
  readonly splits: number;
  readonly minBranchFraction: number;
  readonly leafPrediction: LeafPrediction;
  readonly nbThreshold: number;
  readonly features?: number;
}

const TYPE = 'hoeffdingTree';
// Per (feature, class) Gaussian estimator slots in a leaf's `obs`: weight, mean, m2, min, max.
const S = 5;

interface Leaf {
  readonly leaf: true;
  readonly depth: number;
  /** Class weights (length = this leaf's class capacity). */
  stats: Float64Array;
  /** Gaussian estimators, index ((feature * capacity) + class) * S. */
  obs: Float64Array;
  lastAttempt: number;
  mcCorrect: number;
  nbCorrect: number;
  active: boolean;
}

interface Split {
  readonly leaf: false;
  readonly feature: number;
  readonly threshold: number;
  left: TreeNode;
  right: TreeNode;
}

type TreeNode = Leaf | Split;

/** A Hoeffding tree: a multiclass classifier whose shape can be inspected. */
export interface HoeffdingTree extends MulticlassClassifier {
  /** Number of split nodes and leaves, and the depth. */
  readonly size: {
    /** Number of split (internal) nodes. */
    readonly splits: number;
    /** Number of leaves; 1 for a tree that has not split. */
    readonly leaves: number;
    /** Depth of the deepest leaf; 0 for a tree that has not split. */
    readonly depth: number;
  };
}

/**
 * Hoeffding tree (VFDT) classifier: grows a binary split on a numeric feature once the Hoeffding
 * bound says the best information gain beats the runner-up, with per-class Gaussian estimates
 * of each feature to score candidate thresholds, as River does.
 */
export function hoeffdingTree(options: HoeffdingTreeOptions = {}): HoeffdingTree {
  return new HoeffdingTreeImpl(resolve(options));
}

function resolve(o: HoeffdingTreeOptions): Resolved {
  const leafPrediction = o.leafPrediction ?? 'nba';
  if (!['mc', 'nb', 'nba'].includes(leafPrediction)) {
    throw invalidOption('leafPrediction', "'mc', 'nb' or 'nba'", leafPrediction);
  }
  return {
    gracePeriod: positive('gracePeriod', o.gracePeriod ?? 200),
    delta: between('delta', o.delta ?? 1e-7, Number.MIN_VALUE, 1),
    tau: positive('tau', o.tau ?? 0.05, true),
    ...(o.maxDepth === undefined ? {} : { maxDepth: integer('maxDepth', o.maxDepth, 1) }),
    splits: integer('splits', o.splits ?? 10, 1),
    minBranchFraction: between('minBranchFraction', o.minBranchFraction ?? 0.01, 0, 0.5),
    leafPrediction,
    nbThreshold: positive('nbThreshold', o.nbThreshold ?? 0, true),
    ...(o.features === undefined ? {} : { features: integer('features', o.features, 1) }),
  };
}

function newLeaf(depth: number, stats: Float64Array, d: number): Leaf {
  const k = stats.length;
  let total = 0;
  for (let c = 0; c < k; c++) total += stats[c]!;
  return {
    leaf: true,
    depth,
    stats,
    obs: emptyObs(d, k),
    lastAttempt: total,
    mcCorrect: 0,
    nbCorrect: 0,
    active: true,
  };
}

function emptyObs(d: number, k: number): Float64Array {
  const obs = new Float64Array(d * k * S);
  for (let i = 0; i < obs.length; i += S) {
    obs[i + 3] = Number.POSITIVE_INFINITY;
    obs[i + 4] = Number.NEGATIVE_INFINITY;
  }
  return obs;
}

class HoeffdingTreeImpl extends Base<Resolved> implements HoeffdingTree {
  readonly kind = 'multiclass' as const;
  readonly type = TYPE;
  classes = 0;
  private dim: number;
  private root: TreeNode;
  // Scratch buffers, grown with the class count, so learning and predicting do not allocate.
  private votes = new Float64Array(0);
  private left = new Float64Array(0);
  private right = new Float64Array(0);
  private bestLeft = new Float64Array(0);
  private bestRight = new Float64Array(0);

  constructor(options: Resolved) {
    super(options);
    this.dim = options.features ?? -1;
    this.root = newLeaf(0, new Float64Array(0), Math.max(this.dim, 0));
  }

  /** Number of split nodes and leaves, and the depth. */
  get size(): { readonly splits: number; readonly leaves: number; readonly depth: number } {
    let splits = 0;
    let leaves = 0;
    let depth = 0;
    const walk = (n: TreeNode, dep: number) => {
      depth = Math.max(depth, dep);
      if (n.leaf) leaves += 1;
      else {
        splits += 1;
        walk(n.left, dep + 1);
        walk(n.right, dep + 1);
      }
    };
    walk(this.root, 0);
    return { splits, leaves, depth };
  }

  predict(x: Float64Array): number {
    return argmax(this.predictProba(x, this.ensureScratch()), this.classes);
  }

  predictProba(x: Float64Array, out?: Float64Array): Float64Array {
    const p = probaBuffer(out, this.classes);
    // Predicting never fixes the dimension: an unsized tree has learnt nothing.
    if (this.dim < 0) {
      checkVector(x, -1);
      return p;
    }
    this.checkX(x);
    const leaf = this.sort(x);
    if (this.useNb(leaf)) this.nbProba(leaf, x, p);
    else mcProba(leaf, p);
    return p;
  }

  learn(x: Float64Array, y: number, weight = 1): void {
    this.checkX(x);
    checkClass(y);
    checkWeight(weight);
    if (y >= this.classes) this.classes = y + 1;
    this.ensureScratch();
    const leaf = this.sort(x);
    grow(leaf, this.classes, this.dim);
    if (leaf.active && this.options.leafPrediction === 'nba') {
      mcProba(leaf, this.votes);
      if (argmax(this.votes, this.classes) === y || total(leaf.stats) === 0) {
        leaf.mcCorrect += weight;
      }
      if (total(leaf.stats) > 0) {
        this.nbProba(leaf, x, this.votes);
        if (argmax(this.votes, this.classes) === y) leaf.nbCorrect += weight;
      }
    }
    leaf.stats[y] = leaf.stats[y]! + weight;
    if (!leaf.active) return;
    const k = leaf.stats.length;
    const obs = leaf.obs;
    for (let f = 0; f < this.dim; f++) {
      const v = x[f]!;
      const i = (f * k + y) * S;
      welford(obs, i, v, weight);
      if (v < obs[i + 3]!) obs[i + 3] = v;
      if (v > obs[i + 4]!) obs[i + 4] = v;
    }
    const { maxDepth, gracePeriod } = this.options;
    if (maxDepth !== undefined && leaf.depth >= maxDepth) {
      leaf.active = false;
      return;
    }
    const seen = total(leaf.stats);
    if (seen - leaf.lastAttempt >= gracePeriod) {
      this.attemptSplit(leaf, x);
      leaf.lastAttempt = seen;
    }
  }

  private checkX(x: Float64Array): void {
    if (this.dim < 0) {
      this.dim = checkVector(x, -1);
      this.root = newLeaf(0, new Float64Array(this.classes), this.dim);
    } else checkVector(x, this.dim);
  }

  private ensureScratch(): Float64Array {
    const k = this.classes;
    if (this.votes.length < k) {
      const cap = Math.max(k, 2);
      this.votes = new Float64Array(cap);
      this.left = new Float64Array(cap);
      this.right = new Float64Array(cap);
      this.bestLeft = new Float64Array(cap);
      this.bestRight = new Float64Array(cap);
    }
    return this.votes;
  }

  private sort(x: Float64Array): Leaf {
    let n = this.root;
    while (!n.leaf) n = x[n.feature]! <= n.threshold ? n.left : n.right;
    return n;
  }

  private useNb(leaf: Leaf): boolean {
    const mode = this.options.leafPrediction;
    if (mode === 'mc' || total(leaf.stats) < this.options.nbThreshold) return false;
    if (mode === 'nb') return true;
    return leaf.active && leaf.nbCorrect >= leaf.mcCorrect;
  }

  /** Naive Bayes over the leaf's Gaussian estimates; classes unseen at the leaf get 0. */
  private nbProba(leaf: Leaf, x: Float64Array, out: Float64Array): void {
    const { stats, obs } = leaf;
    const k = stats.length;
    const sum = total(stats);
    out.fill(0, 0, this.classes);
    if (sum <= 0) return;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (stats[c]! <= 0) continue;
      let ll = Math.log(stats[c]! / sum);
      for (let f = 0; f < this.dim; f++) {
        const i = (f * k + c) * S;
        const v = sampleVariance(obs, i);
        // A class without spread at this leaf carries no likelihood information (as River).
        if (v > 0) ll += logPdf(x[f]!, obs[i + 1]!, v);
      }
      out[c] = ll;
      if (ll > max) max = ll;
    }
    softmaxWhere(out, stats, max);
  }

  private attemptSplit(leaf: Leaf, x: Float64Array): void {
    const { stats, obs } = leaf;
    const k = stats.length;
    let present = 0;
    for (let c = 0; c < k; c++) if (stats[c]! > 0) present += 1;
    if (present < 2) return;
    let best = Number.NEGATIVE_INFINITY;
    let second = Number.NEGATIVE_INFINITY;
    let bestFeature = -1;
    let bestThreshold = 0;
    const preEntropy = entropy(stats, k);
    const { splits, minBranchFraction } = this.options;
    const { left, right } = this;
    for (let f = 0; f < this.dim; f++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const i = (f * k + c) * S;
        if (obs[i]! <= 0) continue;
        if (obs[i + 3]! < lo) lo = obs[i + 3]!;
        if (obs[i + 4]! > hi) hi = obs[i + 4]!;
      }
      let featureBest = Number.NEGATIVE_INFINITY;
      let featureThreshold = 0;
      if (lo < hi) {
        const bin = (hi - lo) / (splits + 1);
        for (let s = 1; s <= splits; s++) {
          const t = lo + bin * s;
          if (!(t > lo && t < hi)) continue;
          left.fill(0, 0, k);
          right.fill(0, 0, k);
          for (let c = 0; c < k; c++) {
            const i = (f * k + c) * S;
            const w = obs[i]!;
            if (w <= 0) continue;
            if (t < obs[i + 3]!) right[c] = w;
            else if (t >= obs[i + 4]!) left[c] = w;
            else {
              const l = normalCdf(t, obs[i + 1]!, sampleVariance(obs, i)) * w;
              left[c] = l;
              right[c] = w - l;
            }
          }
          const merit = infoGain(preEntropy, left, right, k, minBranchFraction);
          if (merit > featureBest) {
            featureBest = merit;
            featureThreshold = t;
            if (merit > best) {
              this.bestLeft.set(left.subarray(0, k));
              this.bestRight.set(right.subarray(0, k));
            }
          }
        }
      }
      // Compare the best threshold of each feature with the best of the others (as River).
      if (featureBest > best) {
        second = best;
        best = featureBest;
        bestFeature = f;
        bestThreshold = featureThreshold;
      } else if (featureBest > second) second = featureBest;
    }
    if (bestFeature < 0 || best === Number.NEGATIVE_INFINITY) return;
    const range = Math.log2(Math.max(present, 2));
    const n = total(stats);
    const bound = Math.sqrt((range * range * Math.log(1 / this.options.delta)) / (2 * n));
    if (!(best - second > bound || bound < this.options.tau)) return;
    const split: Split = {
      leaf: false,
      feature: bestFeature,
      threshold: bestThreshold,
      left: newLeaf(leaf.depth + 1, this.bestLeft.slice(0, k), this.dim),
      right: newLeaf(leaf.depth + 1, this.bestRight.slice(0, k), this.dim),
    };
    this.replace(leaf, split, x);
  }

  private replace(leaf: Leaf, split: Split, x: Float64Array): void {
    if (this.root === leaf) {
      this.root = split;
      return;
    }
    let n = this.root;
    while (!n.leaf) {
      const next = x[n.feature]! <= n.threshold ? 'left' : 'right';
      if (n[next] === leaf) {
        n[next] = split;
        return;
      }
      n = n[next];
    }
  }

  protected create(options: unknown): this {
    return new HoeffdingTreeImpl(resolve(options as HoeffdingTreeOptions)) as this;
  }

  protected exportState(): JsonObject {
    return { dim: this.dim, classes: this.classes, root: nodeToJson(this.root) };
  }

  protected importState(state: JsonObject): void {
    this.dim = num(state, 'dim');
    this.classes = num(state, 'classes');
    this.root = nodeFromJson(obj(state, 'root'), Math.max(this.dim, 0));
    this.ensureScratch();
  }
}

/** Grows a leaf's per-class arrays to `k` classes (only when a new class id appears). */
function grow(leaf: Leaf, k: number, d: number): void {
  const old = leaf.stats.length;
  if (old >= k) return;
  const stats = new Float64Array(k);
  stats.set(leaf.stats);
  const obs = emptyObs(d, k);
  for (let f = 0; f < d; f++) {
    obs.set(leaf.obs.subarray(f * old * S, (f + 1) * old * S), f * k * S);
  }
  leaf.stats = stats;
  leaf.obs = obs;
}

function total(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

function mcProba(leaf: Leaf, out: Float64Array): void {
  const sum = total(leaf.stats);
  out.fill(0);
  if (sum <= 0) return;
  for (let c = 0; c < leaf.stats.length; c++) out[c] = leaf.stats[c]! / sum;
}

function entropy(dist: Float64Array, k: number): number {
  let sum = 0;
  for (let c = 0; c < k; c++) sum += dist[c]!;
  if (sum <= 0) return 0;
  let h = 0;
  for (let c = 0; c < k; c++) {
    const p = dist[c]! / sum;
    if (p > 0) h -= p * Math.log2(p);
  }
  return h;
}

/** Information gain of a binary split; -Infinity unless two branches hold enough weight. */
function infoGain(
  pre: number,
  left: Float64Array,
  right: Float64Array,
  k: number,
  minFraction: number,
): number {
  let wl = 0;
  let wr = 0;
  for (let c = 0; c < k; c++) {
    wl += left[c]!;
    wr += right[c]!;
  }
  const w = wl + wr;
  if (!(w > 0 && wl / w > minFraction && wr / w > minFraction)) return Number.NEGATIVE_INFINITY;
  return pre - (wl * entropy(left, k) + wr * entropy(right, k)) / w;
}

function nodeToJson(n: TreeNode): JsonValue {
  if (!n.leaf) {
    return {
      feature: n.feature,
      threshold: n.threshold,
      left: nodeToJson(n.left),
      right: nodeToJson(n.right),
    };
  }
  return {
    depth: n.depth,
    stats: json(n.stats),
    // min/max are ±Infinity before a class is seen; JSON writes them as null.
    obs: json(n.obs),
    lastAttempt: n.lastAttempt,
    mcCorrect: n.mcCorrect,
    nbCorrect: n.nbCorrect,
    active: n.active,
  };
}

function nodeFromJson(o: JsonObject, d: number): TreeNode {
  if (typeof o.feature === 'number') {
    return {
      leaf: false,
      feature: o.feature,
      threshold: num(o, 'threshold'),
      left: nodeFromJson(obj(o, 'left'), d),
      right: nodeFromJson(obj(o, 'right'), d),
    };
  }
  const stats = f64(o, 'stats');
  const raw = arr(o, 'obs');
  const obs = emptyObs(d, stats.length);
  if (raw.length !== obs.length)
    throw learnError('LEARN_BAD_SNAPSHOT', 'Malformed hoeffdingTree snapshot: bad `obs` length');
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (typeof v === 'number') obs[i] = v;
    else if (v !== null || i % S < 3)
      throw learnError('LEARN_BAD_SNAPSHOT', 'Malformed hoeffdingTree snapshot: bad `obs` value');
  }
  return {
    leaf: true,
    depth: num(o, 'depth'),
    stats,
    obs,
    lastAttempt: num(o, 'lastAttempt'),
    mcCorrect: num(o, 'mcCorrect'),
    nbCorrect: num(o, 'nbCorrect'),
    active: o.active === true,
  };
}
