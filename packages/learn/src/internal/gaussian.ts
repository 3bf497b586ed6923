/** ln(2π), for log densities. */
export const LOG_TAU = Math.log(2 * Math.PI);

/** Log density of N(mean, variance) at x. */
export function logPdf(x: number, mean: number, variance: number): number {
  const d = x - mean;
  return -0.5 * ((d * d) / variance + LOG_TAU + Math.log(variance));
}

/** CDF of N(mean, variance) at x; a step at the mean when the variance is 0. */
export function normalCdf(x: number, mean: number, variance: number): number {
  if (variance <= 0) return x >= mean ? 1 : 0;
  return 0.5 * erfc(-(x - mean) / Math.sqrt(2 * variance));
}

/** Complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Weighted Welford update of (weight, mean, m2) stored at `i`, `i+1`, `i+2` of `s`. */
export function welford(s: Float64Array, i: number, x: number, w: number): void {
  if (w === 0) return;
  const n = s[i]! + w;
  const mean = s[i + 1]!;
  const delta = x - mean;
  const next = mean + (w / n) * delta;
  s[i] = n;
  s[i + 1] = next;
  s[i + 2] = s[i + 2]! + w * delta * (x - next);
}

/** Sample variance (ddof = 1) of a Welford triple, 0 when weight <= 1. */
export function sampleVariance(s: Float64Array, i: number): number {
  const n = s[i]!;
  return n > 1 ? s[i + 2]! / (n - 1) : 0;
}
