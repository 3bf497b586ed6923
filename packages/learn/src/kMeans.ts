import { invalidOption } from '@tributary/core';
import { Base } from './internal/base.js';
import { between, checkVector, checkWeight, integer } from './internal/checks.js';
import { f64, type JsonObject, json, num } from './internal/snapshot.js';
import type { Clusterer } from './learner.js';

/** Options of {@link kMeans}. */
export interface KMeansOptions {
  /** Number of clusters; default 5. */
  readonly clusters?: number;
  /**
   * How far a centre moves toward each record assigned to it: `'mean'` (default) uses 1/n, so
   * a centre is the running mean of its records (MacQueen); a number in (0, 1] is a constant
   * rate that keeps tracking drift (River's `halflife`).
   */
  readonly rate?: 'mean' | number;
  /** Number of features; default: the length of the first vector. */
  readonly features?: number;
}

interface Resolved {
  readonly clusters: number;
  readonly rate: 'mean' | number;
  readonly features?: number;
}

function resolve(o: KMeansOptions): Resolved {
  const rate = o.rate ?? 'mean';
  if (rate !== 'mean') between('rate', rate, Number.MIN_VALUE, 1);
  if (typeof rate !== 'number' && rate !== 'mean')
    throw invalidOption('rate', "'mean' or a number", rate);
  return {
    clusters: integer('clusters', o.clusters ?? 5, 1),
    rate,
    ...(o.features === undefined ? {} : { features: integer('features', o.features, 1) }),
  };
}

/**
 * Sequential k-means: the first `clusters` records seed the centres; each later record moves
 * its nearest centre (squared Euclidean distance) toward itself.
 */
export function kMeans(options: KMeansOptions = {}): Clusterer {
  return new KMeans(resolve(options));
}

class KMeans extends Base<Resolved> implements Clusterer {
  readonly kind = 'clusterer' as const;
  readonly type = 'kMeans';
  private dim = -1;
  /** Row-major clusters × dim. */
  private c = new Float64Array(0);
  private counts = new Float64Array(0);
  /** Centres seeded so far. */
  private seeded = 0;

  constructor(options: Resolved) {
    super(options);
    if (options.features !== undefined) this.init(options.features);
  }

  private init(d: number): void {
    this.dim = d;
    this.c = new Float64Array(this.options.clusters * d);
    this.counts = new Float64Array(this.options.clusters);
  }

  private check(x: Float64Array): void {
    const d = checkVector(x, this.dim);
    if (this.dim < 0) this.init(d);
  }

  predict(x: Float64Array): number {
    checkVector(x, this.dim);
    const { c, dim } = this;
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (let k = 0; k < this.seeded; k++) {
      let s = 0;
      const base = k * dim;
      for (let f = 0; f < dim; f++) {
        const diff = x[f]! - c[base + f]!;
        s += diff * diff;
      }
      if (s < bestD) {
        bestD = s;
        best = k;
      }
    }
    return best;
  }

  learn(x: Float64Array, _y?: undefined, weight = 1): void {
    checkWeight(weight);
    this.check(x);
    if (weight === 0) return;
    const { dim } = this;
    if (this.seeded < this.options.clusters) {
      this.c.set(x, this.seeded * dim);
      this.counts[this.seeded] = weight;
      this.seeded += 1;
      return;
    }
    const k = this.predict(x);
    this.counts[k] = this.counts[k]! + weight;
    const rate = this.options.rate;
    const r = rate === 'mean' ? weight / this.counts[k]! : Math.min(1, rate * weight);
    const base = k * dim;
    for (let f = 0; f < dim; f++)
      this.c[base + f] = this.c[base + f]! + r * (x[f]! - this.c[base + f]!);
  }

  centers(): Float64Array[] {
    const out: Float64Array[] = [];
    for (let k = 0; k < this.seeded; k++) out.push(this.c.slice(k * this.dim, (k + 1) * this.dim));
    return out;
  }

  protected create(options: unknown): this {
    return new KMeans(resolve(options as KMeansOptions)) as this;
  }

  protected exportState(): JsonObject {
    return { dim: this.dim, seeded: this.seeded, centers: json(this.c), counts: json(this.counts) };
  }

  protected importState(state: JsonObject): void {
    const dim = num(state, 'dim');
    if (dim < 0) return;
    this.init(dim);
    this.seeded = num(state, 'seeded');
    this.c = f64(state, 'centers', this.options.clusters * dim);
    this.counts = f64(state, 'counts', this.options.clusters);
  }
}
