import type { JsonValue } from '../learner.js';
import { learnError } from './errors.js';

/**
 * How one array of a model's state combines across workers (see docs/scaling-out.md):
 * - `stat`: a sufficient statistic, additive over disjoint records (counts, sums, Gram
 *   matrices, AdaGrad's Σg², FTRL's n). Merge: sum; delta: difference, applied by adding.
 * - `param`: a parameter moved by gradient steps (weights, intercepts). Merge: weighted
 *   average; delta: difference, applied by adding (each worker's steps, as one learner would
 *   take them in sequence).
 * - `state`: optimizer state whose size does not grow with the records (Adam's moments).
 *   Merge and apply: the record-weighted mean; a delta carries the current value.
 * - `moments`: (weight, mean, m2) triples of a weighted Welford estimator. Merge: Chan et
 *   al.'s parallel formula (exact); delta: the same formula solved for the missing part.
 */
export type PartKind = 'stat' | 'param' | 'state' | 'moments';

/** One array of a model's state and how it combines. */
export interface Part {
  readonly kind: PartKind;
  readonly values: Float64Array;
}

/** A model's state as combinable arrays: its input dimension (-1: untrained), records learnt. */
export interface Parts {
  readonly dim: number;
  readonly records: number;
  readonly parts: { readonly [name: string]: Part };
}

/** A learner whose state maps to and from {@link Parts}. */
export interface PartsModel {
  toParts(): Parts;
  fromParts(parts: Parts): void;
}

function mismatch(a: Parts, b: Parts) {
  return learnError(
    'LEARN_DIMENSION_MISMATCH',
    `Cannot merge models of ${a.dim} and ${b.dim} features`,
    { expected: a.dim, got: b.dim },
  );
}

/** The dimension all trained models share (-1 when none is trained). */
function commonDim(all: readonly Parts[]): number {
  let dim = -1;
  for (const p of all) {
    if (p.dim < 0) continue;
    if (dim >= 0 && p.dim !== dim) throw mismatch(all[0]!, p);
    dim = p.dim;
  }
  return dim;
}

/** Arrays of different lengths hold a prefix of the same layout (e.g. classes seen so far); pad with 0. */
function longest(all: readonly Parts[], name: string): number {
  let n = 0;
  for (const p of all) n = Math.max(n, p.parts[name]?.values.length ?? 0);
  return n;
}

function at(p: Parts, name: string, i: number): number {
  return p.parts[name]?.values[i] ?? 0;
}

/** Chan et al.: combines (n, mean, m2) of `b` into `out` at `i`; `sign` -1 removes `b` instead. */
function chan(out: Float64Array, i: number, nb: number, mb: number, m2b: number, sign: 1 | -1) {
  const na = out[i]!;
  const ma = out[i + 1]!;
  if (sign === 1) {
    const n = na + nb;
    if (n <= 0) return;
    const d = mb - ma;
    out[i] = n;
    out[i + 1] = ma + (d * nb) / n;
    out[i + 2] = out[i + 2]! + m2b + (d * d * na * nb) / n;
    return;
  }
  // Removing b from a = (part) ∪ b: the part has n = na − nb, mean (na·ma − nb·mb)/n.
  const n = na - nb;
  if (n <= 1e-12) {
    out[i] = 0;
    out[i + 1] = 0;
    out[i + 2] = 0;
    return;
  }
  const mean = (na * ma - nb * mb) / n;
  const d = mb - mean;
  out[i] = n;
  out[i + 1] = mean;
  out[i + 2] = Math.max(0, out[i + 2]! - m2b - (d * d * n * nb) / na);
}

/**
 * Merges models trained on different records: `stat` summed, `param`/`state` averaged with
 * `weights`, `moments` by Chan's formula. Kinds and names come from the first model.
 */
export function mergeParts(all: readonly Parts[], weights: readonly number[]): Parts {
  const dim = commonDim(all);
  const first = all[0]!;
  let wsum = 0;
  for (const w of weights) wsum += w;
  const out: Record<string, Part> = {};
  for (const [name, { kind }] of Object.entries(first.parts)) {
    const len = longest(all, name);
    const v = new Float64Array(len);
    if (kind === 'moments') {
      for (const p of all) {
        for (let i = 0; i + 2 < len; i += 3) {
          chan(v, i, at(p, name, i), at(p, name, i + 1), at(p, name, i + 2), 1);
        }
      }
    } else if (kind === 'stat') {
      for (const p of all) for (let i = 0; i < len; i++) v[i] = v[i]! + at(p, name, i);
    } else {
      all.forEach((p, m) => {
        const w = wsum > 0 ? weights[m]! / wsum : 1 / all.length;
        for (let i = 0; i < len; i++) v[i] = v[i]! + w * at(p, name, i);
      });
    }
    out[name] = { kind, values: v };
  }
  let records = 0;
  for (const p of all) records += p.records;
  return { dim, records, parts: out };
}

/** What `cur` learnt since `base` (an earlier state of the same model). */
export function diffParts(cur: Parts, base: Parts): Parts {
  const dim = commonDim([cur, base]);
  const out: Record<string, Part> = {};
  for (const [name, { kind, values }] of Object.entries(cur.parts)) {
    const len = longest([cur, base], name);
    const v = new Float64Array(len);
    if (kind === 'state') v.set(values);
    else if (kind === 'moments') {
      v.set(values);
      for (let i = 0; i + 2 < len; i += 3) {
        chan(v, i, at(base, name, i), at(base, name, i + 1), at(base, name, i + 2), -1);
      }
    } else for (let i = 0; i < len; i++) v[i] = at(cur, name, i) - at(base, name, i);
    out[name] = { kind, values: v };
  }
  return { dim, records: cur.records - base.records, parts: out };
}

/**
 * `target` with a peer's delta folded in (a new object; `target` is not changed); `param`
 * steps are scaled by `stepScale` (1: summed, 1/k: averaged over k workers).
 */
export function addParts(target: Parts, delta: Parts, stepScale = 1): Parts {
  const dim = commonDim([target, delta]);
  const total = target.records + delta.records;
  const share = total > 0 ? delta.records / total : 0.5;
  const out: Record<string, Part> = {};
  for (const [name, { kind }] of Object.entries(target.parts)) {
    const len = longest([target, delta], name);
    const v = new Float64Array(len);
    for (let i = 0; i < len; i++) v[i] = at(target, name, i);
    if (kind === 'moments') {
      for (let i = 0; i + 2 < len; i += 3) {
        chan(v, i, at(delta, name, i), at(delta, name, i + 1), at(delta, name, i + 2), 1);
      }
    } else if (kind === 'state') {
      if (delta.records > 0) {
        for (let i = 0; i < len; i++) v[i] = v[i]! + share * (at(delta, name, i) - v[i]!);
      }
    } else {
      const f = kind === 'param' ? stepScale : 1;
      for (let i = 0; i < len; i++) v[i] = v[i]! + f * at(delta, name, i);
    }
    out[name] = { kind, values: v };
  }
  return { dim, records: total, parts: out };
}

/** Parts as JSON (what travels in a {@link ModelDelta}). */
export function partsToJson(p: Parts): { [key: string]: JsonValue } {
  const parts: Record<string, JsonValue> = {};
  for (const [name, { kind, values }] of Object.entries(p.parts)) {
    parts[name] = { kind, values: Array.from(values) };
  }
  return { dim: p.dim, records: p.records, parts };
}

const KINDS: readonly string[] = ['stat', 'param', 'state', 'moments'];

/** Reads {@link partsToJson} output back; throws LEARN_BAD_SNAPSHOT on anything else. */
export function partsFromJson(v: unknown): Parts {
  const bad = (why: string) =>
    learnError('LEARN_BAD_SNAPSHOT', `Malformed model delta: ${why}`, { reason: why });
  if (typeof v !== 'object' || v === null) throw bad('not an object');
  const o = v as { dim?: unknown; records?: unknown; parts?: unknown };
  if (typeof o.dim !== 'number' || typeof o.records !== 'number') throw bad('no dim/records');
  if (typeof o.parts !== 'object' || o.parts === null) throw bad('no parts');
  const parts: Record<string, Part> = {};
  for (const [name, p] of Object.entries(o.parts as Record<string, unknown>)) {
    const q = p as { kind?: unknown; values?: unknown };
    if (typeof q.kind !== 'string' || !KINDS.includes(q.kind)) throw bad(`part ${name}: kind`);
    if (!Array.isArray(q.values) || !q.values.every((x) => typeof x === 'number')) {
      throw bad(`part ${name}: values`);
    }
    parts[name] = { kind: q.kind as PartKind, values: Float64Array.from(q.values as number[]) };
  }
  return { dim: o.dim, records: o.records, parts };
}
