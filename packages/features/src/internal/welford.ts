/** Running count, mean and sum of squared deviations (Welford 1962), as a plain tuple for JSON. */
export type Moments = [n: number, mean: number, m2: number];

/** Empty moments. */
export function emptyMoments(): Moments {
  return [0, 0, 0];
}

/** Adds `x` to `m` in place. */
export function addMoment(m: Moments, x: number): void {
  const n = m[0] + 1;
  const delta = x - m[1];
  const mean = m[1] + delta / n;
  m[0] = n;
  m[1] = mean;
  m[2] += delta * (x - mean);
}

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
