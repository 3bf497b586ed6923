/**
 * Lower Cholesky factor L (L·Lᵀ = A) of the symmetric d×d row-major matrix A stored in `a` from
 * `base`, written to `L` from `base`; A is read symmetrised ((a_ij + a_ji)/2) to absorb rounding.
 * Returns false when A is not positive definite. No allocation.
 */
export function cholesky(a: Float64Array, L: Float64Array, base: number, d: number): boolean {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = (a[base + i * d + j]! + a[base + j * d + i]!) / 2;
      for (let k = 0; k < j; k++) s -= L[base + i * d + k]! * L[base + j * d + k]!;
      if (i === j) {
        if (!(s > 0)) return false;
        L[base + i * d + i] = Math.sqrt(s);
      } else {
        L[base + i * d + j] = s / L[base + j * d + j]!;
      }
    }
    for (let j = i + 1; j < d; j++) L[base + i * d + j] = 0;
  }
  return true;
}
