import { invalidOption } from '@tributary/core';
import { Base } from './internal/base.js';
import { between, checkVector, checkWeight, integer } from './internal/checks.js';
import type { Part, Parts } from './internal/parts.js';
import { f64, type JsonObject, json, num } from './internal/snapshot.js';
import type { Clusterer } from './learner.js';
import type { Mergeable } from './mergeable.js';

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
export function kMeans(options: KMeansOptions = {}): Clusterer & Mergeable {
  return new KMeans(resolve(options));
}

class KMeans extends Base<Resolved> implements Clusterer, Mergeable {
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

  /**
   * Merge rule: a peer's centres are first matched one-to-one to this model's (greedily,
   * nearest pairs first; unmatched ones fill unseeded slots). With `rate: 'mean'` a centre is
   * the mean of its records, so counts and count-weighted sums are summed (the weighted mean of
   * matched centres); with a constant rate the centres are averaged by count.
   */
  protected override toParts(): Parts {
    const { clusters, rate } = this.options;
    const d = Math.max(this.dim, 0);
    let records = 0;
    for (const c of this.counts) records += c;
    const parts: Record<string, Part> = {
      counts: { kind: 'stat', values: this.counts },
      centers: { kind: 'state', values: this.c },
    };
    if (rate === 'mean') {
      const sums = new Float64Array(clusters * d);
      for (let k = 0; k < clusters; k++) {
        for (let f = 0; f < d; f++) sums[k * d + f] = this.counts[k]! * this.c[k * d + f]!;
      }
      parts.sums = { kind: 'stat', values: sums };
    }
    return { dim: this.dim, records, parts };
  }

  protected override fromParts(p: Parts): void {
    if (p.dim < 0) return;
    if (this.dim < 0) this.init(p.dim);
    const { clusters, rate } = this.options;
    const d = this.dim;
    const counts = p.parts.counts!.values;
    const centers = p.parts.centers!.values;
    const sums = p.parts.sums?.values;
    // Seeded centres first, so `seeded` stays a prefix count.
    let seeded = 0;
    const c = new Float64Array(clusters * d);
    const n = new Float64Array(clusters);
    for (let k = 0; k < clusters; k++) {
      if (!(counts[k]! > 0)) continue;
      n[seeded] = counts[k]!;
      for (let f = 0; f < d; f++) {
        c[seeded * d + f] =
          rate === 'mean' && sums !== undefined
            ? sums[k * d + f]! / counts[k]!
            : centers[k * d + f]!;
      }
      seeded += 1;
    }
    this.c = c;
    this.counts = n;
    this.seeded = seeded;
  }

  protected override alignParts(own: Parts, other: Parts): Parts {
    const { clusters } = this.options;
    const d = Math.max(own.dim, other.dim, 0);
    const oc = own.parts.counts!.values;
    const pc = other.parts.counts?.values ?? new Float64Array(clusters);
    const ocen = own.parts.centers!.values;
    const pcen = other.parts.centers?.values ?? new Float64Array(clusters * d);
    const pairs: [number, number, number][] = [];
    for (let i = 0; i < clusters; i++) {
      if (!(oc[i]! > 0)) continue;
      for (let j = 0; j < clusters; j++) {
        if (!(pc[j]! > 0)) continue;
        let s = 0;
        for (let f = 0; f < d; f++) {
          const diff = (ocen[i * d + f] ?? 0) - (pcen[j * d + f] ?? 0);
          s += diff * diff;
        }
        pairs.push([s, i, j]);
      }
    }
    pairs.sort((a, b) => a[0] - b[0]);
    // slotOf[j]: the own slot peer cluster j merges into.
    const slotOf = new Int32Array(clusters).fill(-1);
    const taken = new Uint8Array(clusters);
    for (const [, i, j] of pairs) {
      if (slotOf[j] !== -1 || taken[i] === 1) continue;
      slotOf[j] = i;
      taken[i] = 1;
    }
    for (let j = 0; j < clusters; j++) {
      if (slotOf[j] !== -1) continue;
      // Unseeded own slots first, then any free one.
      let slot = -1;
      for (let i = 0; i < clusters && slot < 0; i++) if (taken[i] === 0 && !(oc[i]! > 0)) slot = i;
      for (let i = 0; i < clusters && slot < 0; i++) if (taken[i] === 0) slot = i;
      slotOf[j] = slot;
      taken[slot] = 1;
    }
    const parts: Record<string, Part> = {};
    for (const [name, part] of Object.entries(other.parts)) {
      const width = part.values.length / clusters;
      const v = new Float64Array(part.values.length);
      for (let j = 0; j < clusters; j++) {
        v.set(part.values.subarray(j * width, (j + 1) * width), slotOf[j]! * width);
      }
      parts[name] = { kind: part.kind, values: v };
    }
    return { dim: other.dim, records: other.records, parts };
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
