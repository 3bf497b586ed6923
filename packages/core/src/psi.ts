// Proportions of 0 make PSI infinite; the usual fix is a small floor.
const FLOOR = 1e-4;

/**
 * Population Stability Index of `actual` against `expected`, given counts per bin (same
 * bins, same order): Σ (a − e) · ln(a / e) over bin proportions, each floored at 1e-4.
 * Rule of thumb: < 0.1 stable, 0.1–0.2 moderate shift, > 0.2 significant shift.
 */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  const e = proportions(expected);
  const a = proportions(actual);
  let sum = 0;
  for (let i = 0; i < e.length; i++) {
    const pe = Math.max(e[i] ?? 0, FLOOR);
    const pa = Math.max(a[i] ?? 0, FLOOR);
    sum += (pa - pe) * Math.log(pa / pe);
  }
  return sum;
}

/**
 * Edges splitting sorted `values` into `bins` groups of equal size (duplicates removed), or
 * at each value when there are no more than `bins` distinct ones, led by an edge just below the minimum so values under the reference's range get a bin of
 * their own: on discrete or skewed data the quantiles collapse, and without it a shift
 * below the minimum would land in the same bin as the minimum and go unseen.
 */
export function quantileEdges(sorted: readonly number[], bins: number): number[] {
  const first = sorted[0];
  if (first === undefined) return [];
  const edges: number[] = [justBelow(first)];
  // Few distinct values (flags, ratings, 0 / 0.5 / 1 features): one bin per value.
  const distinct = [...new Set(sorted)];
  if (distinct.length <= bins) return [...edges, ...distinct];
  for (let i = 1; i < bins; i++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / bins))];
    if (v !== undefined && edges[edges.length - 1] !== v) edges.push(v);
  }
  return edges;
}

/** The largest double below `x`. */
function justBelow(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const buf = new Float64Array([x]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0] = bits[0]! + (x > 0 ? -1n : 1n);
  return buf[0]!;
}

/** Counts of `values` per bin, bin i holding values ≤ edges[i] (and > edges[i-1]). */
export function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v <= (edges[mid] ?? 0)) hi = mid;
      else lo = mid + 1;
    }
    counts[lo] = (counts[lo] ?? 0) + 1;
  }
  return counts;
}

function proportions(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total === 0 ? 0 : c / total));
}
