/** Result of a two-sample Kolmogorov–Smirnov test. */
export interface KsResult {
  /** Largest distance between the two empirical CDFs, in [0, 1]. */
  readonly statistic: number;
  /** Asymptotic p-value that both samples come from one distribution. */
  readonly pValue: number;
}

/** Two-sample Kolmogorov–Smirnov test (asymptotic p-value, as in Numerical Recipes' `kstwo`). */
export function ksTest(a: readonly number[], b: readonly number[]): KsResult {
  if (a.length === 0 || b.length === 0) return { statistic: 0, pValue: 1 };
  const d = ksStatistic(a, b);
  const sqrtNe = Math.sqrt((a.length * b.length) / (a.length + b.length));
  return { statistic: d, pValue: kolmogorovQ((sqrtNe + 0.12 + 0.11 / sqrtNe) * d) };
}

/**
 * The two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs of
 * `a` and `b` (both non-empty), in [0, 1]. Ties step together, so they do not inflate it.
 */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    // Step past every copy of v in both samples, so ties do not inflate the distance.
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

/** Q_KS(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2 j² λ²}: the Kolmogorov distribution's tail. */
function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  let sign = 1;
  for (let j = 1; j <= 100; j++) {
    const term = sign * Math.exp(-2 * j * j * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-10) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
