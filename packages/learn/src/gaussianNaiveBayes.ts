import { Base } from './internal/base.js';
import { checkClass, checkVector, checkWeight, integer, positive } from './internal/checks.js';
import { logPdf, sampleVariance, welford } from './internal/gaussian.js';
import { argmax, probaBuffer, softmaxWhere } from './internal/multiclass.js';
import type { Parts } from './internal/parts.js';
import { f64, type JsonObject, json, num } from './internal/snapshot.js';
import type { MulticlassClassifier } from './learner.js';
import type { Mergeable } from './mergeable.js';

/** Options of {@link gaussianNaiveBayes}. */
export interface GaussianNaiveBayesOptions {
  /** Added to every variance, as a fraction of the largest one (as scikit-learn); default 1e-9. */
  readonly varSmoothing?: number;
  /** Number of features; default: the length of the first vector. */
  readonly features?: number;
}

interface Resolved {
  readonly varSmoothing: number;
  readonly features?: number;
}

function resolve(o: GaussianNaiveBayesOptions): Resolved {
  return {
    varSmoothing: positive('varSmoothing', o.varSmoothing ?? 1e-9, true),
    ...(o.features === undefined ? {} : { features: integer('features', o.features, 1) }),
  };
}

/**
 * Gaussian naive Bayes: per class and feature, a running (weighted Welford) mean and variance;
 * predicts by prior × product of normal densities, computed in log space.
 */
export function gaussianNaiveBayes(
  options: GaussianNaiveBayesOptions = {},
): MulticlassClassifier & Mergeable {
  return new GaussianNb(resolve(options));
}

class GaussianNb extends Base<Resolved> implements MulticlassClassifier, Mergeable {
  readonly kind = 'multiclass' as const;
  readonly type = 'gaussianNaiveBayes';
  classes = 0;
  private dim: number;
  private counts = new Float64Array(0);
  /** Welford triples, index (class * dim + feature) * 3. */
  private stats = new Float64Array(0);
  private scratch = new Float64Array(0);

  constructor(options: Resolved) {
    super(options);
    this.dim = options.features ?? -1;
  }

  learn(x: Float64Array, y: number, weight = 1): void {
    this.dim = checkVector(x, this.dim);
    checkClass(y);
    checkWeight(weight);
    if (y >= this.classes) this.grow(y + 1);
    this.counts[y] = this.counts[y]! + weight;
    const base = y * this.dim * 3;
    for (let f = 0; f < this.dim; f++) welford(this.stats, base + f * 3, x[f]!, weight);
  }

  predictProba(x: Float64Array, out?: Float64Array): Float64Array {
    checkVector(x, this.dim);
    const k = this.classes;
    const p = probaBuffer(out, k);
    const { counts, stats, dim } = this;
    let total = 0;
    let maxVar = 0;
    for (let c = 0; c < k; c++) total += counts[c]!;
    if (total <= 0) return p;
    for (let i = 0; i < k * dim; i++) maxVar = Math.max(maxVar, sampleVariance(stats, i * 3));
    const eps = maxVar > 0 ? this.options.varSmoothing * maxVar : 1e-9;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (counts[c]! <= 0) continue;
      let ll = Math.log(counts[c]! / total);
      const base = c * dim * 3;
      for (let f = 0; f < dim; f++) {
        const i = base + f * 3;
        ll += logPdf(x[f]!, stats[i + 1]!, sampleVariance(stats, i) + eps);
      }
      p[c] = ll;
      if (ll > max) max = ll;
    }
    softmaxWhere(p, counts, max);
    return p;
  }

  predict(x: Float64Array): number {
    if (this.scratch.length < this.classes) this.scratch = new Float64Array(this.classes);
    return argmax(this.predictProba(x, this.scratch), this.classes);
  }

  private grow(k: number): void {
    const counts = new Float64Array(k);
    counts.set(this.counts);
    const stats = new Float64Array(k * this.dim * 3);
    stats.set(this.stats);
    this.counts = counts;
    this.stats = stats;
    this.classes = k;
  }

  /**
   * Merge rule (exact): class weights summed, each (class, feature) Welford triple combined by
   * Chan's parallel formula: the merged model is the one that saw all the records.
   */
  protected override toParts(): Parts {
    let records = 0;
    for (const c of this.counts) records += c;
    return {
      dim: this.dim,
      records,
      parts: {
        counts: { kind: 'stat', values: this.counts },
        stats: { kind: 'moments', values: this.stats },
      },
    };
  }

  protected override fromParts(p: Parts): void {
    if (p.dim < 0) return;
    this.dim = p.dim;
    const counts = p.parts.counts!.values;
    this.classes = counts.length;
    this.counts = counts.slice();
    // Classes a model never saw are padded with zeros by the merge; keep the layout whole.
    const stats = new Float64Array(this.classes * this.dim * 3);
    stats.set(p.parts.stats!.values.subarray(0, stats.length));
    this.stats = stats;
  }

  protected create(options: unknown): this {
    return new GaussianNb(resolve(options as GaussianNaiveBayesOptions)) as this;
  }

  protected exportState(): JsonObject {
    return {
      dim: this.dim,
      classes: this.classes,
      counts: json(this.counts),
      stats: json(this.stats),
    };
  }

  protected importState(state: JsonObject): void {
    this.dim = num(state, 'dim');
    this.classes = num(state, 'classes');
    this.counts = f64(state, 'counts', this.classes);
    this.stats = f64(state, 'stats', this.classes * Math.max(this.dim, 0) * 3);
  }
}
