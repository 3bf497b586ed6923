import { hash32, hllAdd, hllCreate, hllMerge, type Registers } from './hyperLogLog.js';

/** Limits shared by every sketch of one profile. */
export interface SketchLimits {
  /** Distinct categorical values tracked exactly; the rest count as `other`. */
  readonly maxCategories: number;
  /** Reservoir size of numeric values. */
  readonly sampleSize: number;
  readonly hllPrecision: number;
}

/** Mergeable summary of one field over one bucket of records. */
export interface FieldSketch {
  /** Records seen (null or not). */
  count: number;
  nulls: number;
  /** Numeric values: Welford/Chan moments and extremes. */
  n: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
  /** Uniform sample of the numeric values (Algorithm R). */
  sample: number[];
  /** Non-numeric values (text, booleans) by their string form. */
  categories: Map<string, number>;
  /** Non-numeric values that arrived once `categories` was full. */
  other: number;
  hll: Registers;
}

/** An empty sketch. */
export function sketchCreate(limits: SketchLimits): FieldSketch {
  return {
    count: 0,
    nulls: 0,
    n: 0,
    mean: 0,
    m2: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    sample: [],
    categories: new Map(),
    other: 0,
    hll: hllCreate(limits.hllPrecision),
  };
}

/** Adds one observation; `undefined` and `null` count as nulls, NaN too. */
export function sketchAdd(
  s: FieldSketch,
  value: unknown,
  limits: SketchLimits,
  random: () => number,
): void {
  s.count++;
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) {
    s.nulls++;
    return;
  }
  if (typeof value === 'number') {
    s.n++;
    const delta = value - s.mean;
    s.mean += delta / s.n;
    s.m2 += delta * (value - s.mean);
    if (value < s.min) s.min = value;
    if (value > s.max) s.max = value;
    if (s.sample.length < limits.sampleSize) s.sample.push(value);
    else {
      const j = Math.floor(random() * s.n);
      if (j < limits.sampleSize) s.sample[j] = value;
    }
    hllAdd(s.hll, hash32(`n:${value}`));
    return;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const seen = s.categories.get(text);
  if (seen !== undefined) s.categories.set(text, seen + 1);
  else if (s.categories.size < limits.maxCategories) s.categories.set(text, 1);
  else s.other++;
  hllAdd(s.hll, hash32(`s:${text}`));
}

/**
 * Merges sketches into a new one. Samples are combined in proportion to each sketch's
 * numeric count, drawing a random subset of each, so the result stays uniform.
 */
export function sketchMerge(
  parts: readonly FieldSketch[],
  limits: SketchLimits,
  random: () => number,
): FieldSketch {
  const out = sketchCreate(limits);
  for (const p of parts) {
    out.count += p.count;
    out.nulls += p.nulls;
    if (p.n > 0) {
      const n = out.n + p.n;
      const delta = p.mean - out.mean;
      out.mean += (delta * p.n) / n;
      out.m2 += p.m2 + (delta * delta * out.n * p.n) / n;
      out.n = n;
      out.min = Math.min(out.min, p.min);
      out.max = Math.max(out.max, p.max);
    }
    for (const [k, v] of p.categories) out.categories.set(k, (out.categories.get(k) ?? 0) + v);
    out.other += p.other;
    hllMerge(out.hll, p.hll);
  }
  const target = Math.min(
    limits.sampleSize,
    parts.reduce((a, p) => a + p.sample.length, 0),
  );
  for (const p of parts) {
    if (p.n === 0) continue;
    const k = Math.min(p.sample.length, Math.round((target * p.n) / out.n));
    out.sample.push(...randomSubset(p.sample, k, random));
  }
  // Rounding the shares can overshoot by a value or two.
  if (out.sample.length > target) out.sample.length = target;
  return out;
}

function randomSubset(values: readonly number[], k: number, random: () => number): number[] {
  if (k >= values.length) return [...values];
  const copy = [...values];
  // Partial Fisher-Yates: the first k entries become a uniform random subset.
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    const t = copy[i]!;
    copy[i] = copy[j]!;
    copy[j] = t;
  }
  return copy.slice(0, k);
}

/** A sketch as JSON-safe data (for stage snapshots). */
export interface SketchData {
  readonly count: number;
  readonly nulls: number;
  readonly n: number;
  readonly mean: number;
  readonly m2: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly sample: readonly number[];
  readonly categories: readonly (readonly [string, number])[];
  readonly other: number;
  /** HLL registers, base64. */
  readonly hll: string;
}

/** A sketch as plain data. */
export function sketchToData(s: FieldSketch): SketchData {
  return {
    count: s.count,
    nulls: s.nulls,
    n: s.n,
    mean: s.mean,
    m2: s.m2,
    min: s.n > 0 ? s.min : null,
    max: s.n > 0 ? s.max : null,
    sample: [...s.sample],
    categories: [...s.categories],
    other: s.other,
    hll: Buffer.from(s.hll).toString('base64'),
  };
}

/** A sketch back from plain data. */
export function sketchFromData(d: SketchData): FieldSketch {
  return {
    count: d.count,
    nulls: d.nulls,
    n: d.n,
    mean: d.mean,
    m2: d.m2,
    min: d.min ?? Number.POSITIVE_INFINITY,
    max: d.max ?? Number.NEGATIVE_INFINITY,
    sample: [...d.sample],
    categories: new Map(d.categories),
    other: d.other,
    hll: new Uint8Array(Buffer.from(d.hll, 'base64')),
  };
}
