/** Running count, mean and sum of squared deviations (Welford 1962), as a plain tuple for JSON. */
export type Moments = [n: number, mean: number, m2: number];

/** Moments stored at offset `o` of an array: [n, mean, m2]. */
type MomentStore = { [i: number]: number };

/** Empty moments. */
export function emptyMoments(): Moments {
  return [0, 0, 0];
}

/**
 * Adds `x` to the moments at offset `o` of `m`, in place (the object forms and the window
 * aggregates, through `addMoment`; the row forms use their own copy, {@link rowMoments}).
 */
export function addMomentAt(m: MomentStore, o: number, x: number): void {
  const n = m[o]! + 1;
  const delta = x - m[o + 1]!;
  const mean = m[o + 1]! + delta / n;
  m[o] = n;
  m[o + 1] = mean;
  m[o + 2] = m[o + 2]! + delta * (x - mean);
}

/** Adds `x` to `m` in place. */
export function addMoment(m: Moments, x: number): void {
  addMomentAt(m, 0, x);
}

/**
 * `(x - mean) / std` with the moments at offset `o` (population std; 0 when the std is 0, as
 * River's `StandardScaler`).
 */
export function standardizeAt(
  m: MomentStore,
  o: number,
  x: number,
  withMean: boolean,
  withStd: boolean,
): number {
  const n = m[o]!;
  const centred = withMean ? x - m[o + 1]! : x;
  if (!withStd) return centred;
  const sd = n > 0 ? Math.sqrt(m[o + 2]! / n) : 0;
  return sd === 0 ? 0 : centred / sd;
}

/**
 * {@link addMomentAt} and {@link standardizeAt} for the row forms' `Float64Array` stores only.
 * V8 keeps type feedback per function: shared with the JS-array tuples of the object forms and
 * the window aggregates, the two helpers turned polymorphic where the row forms inline them,
 * and a process that ran both forms ran the row path up to 1.9x slower (bench/src/pipelines.ts).
 */
export const rowMoments = {
  add(m: Float64Array, o: number, x: number): void {
    const n = m[o]! + 1;
    const delta = x - m[o + 1]!;
    const mean = m[o + 1]! + delta / n;
    m[o] = n;
    m[o + 1] = mean;
    m[o + 2] = m[o + 2]! + delta * (x - mean);
  },
  standardize(m: Float64Array, o: number, x: number, withMean: boolean, withStd: boolean): number {
    const n = m[o]!;
    const centred = withMean ? x - m[o + 1]! : x;
    if (!withStd) return centred;
    const sd = n > 0 ? Math.sqrt(m[o + 2]! / n) : 0;
    return sd === 0 ? 0 : centred / sd;
  },
};

/** Merges `b` into `a` in place (Chan et al. 1979 parallel update). */
export function mergeMoments(a: Moments, b: Readonly<Moments>): void {
  const n = a[0] + b[0];
  if (b[0] === 0) return;
  if (a[0] === 0) {
    a[0] = b[0];
    a[1] = b[1];
    a[2] = b[2];
    return;
  }
  const delta = b[1] - a[1];
  a[2] += b[2] + (delta * delta * a[0] * b[0]) / n;
  a[1] += (delta * b[0]) / n;
  a[0] = n;
}

/** Variance with `ddof` delta degrees of freedom; `null` when `n <= ddof`. */
export function variance(m: Readonly<Moments>, ddof: number): number | null {
  return m[0] > ddof ? m[2] / (m[0] - ddof) : null;
}
