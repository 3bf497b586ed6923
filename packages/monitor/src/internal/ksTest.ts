/** The two-sample Kolmogorov-Smirnov statistic: the largest gap between the empirical CDFs. */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * Exact two-sided p-value of the KS statistic `d` for two samples of equal size `n`,
 * P(D ≥ d), as SciPy's `ks_2samp(method='exact')` computes it for n1 = n2.
 */
export function ksPValueEqualSizes(n: number, d: number): number {
  const h = Math.round(d * n);
  if (h === 0) return 1;
  // 2·Σₖ (−1)^(k+1) C(2n, n − kh) / C(2n, n), evaluated Horner-style to avoid cancellation.
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return Math.min(1, Math.max(0, 2 * p));
}
