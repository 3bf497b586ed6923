import { invalidOption } from '@tributary/core';

/** Options of {@link precisionThreshold}. */
export interface PrecisionThresholdOptions {
  /** Alert precision to aim for. Default 0.9. */
  readonly target?: number;
  /** Labelled scores remembered (the most recent). Default 20000. */
  readonly window?: number;
  /** Recompute after this many new labelled scores. Default 500. */
  readonly every?: number;
  /** True alerts the chosen threshold must have caught in the window. Default 10. */
  readonly minTruePositives?: number;
  /**
   * Legitimate labels the window must hold before a choice. Default 1000. Chargebacks come
   * within hours, "no chargeback" only at the label TTL: until then the history holds frauds
   * only, and any threshold would look precise.
   */
  readonly minNegatives?: number;
  /** Threshold until the history allows a choice. Default 0.99. */
  readonly initial?: number;
}

/** An alert threshold chosen online from recent labelled scores. */
export interface PrecisionThreshold {
  /** The threshold now: alert when score >= it. */
  current(): number;
  /** Adds one scored-and-labelled transaction to the history (a score outside [0, 1] or NaN is ignored). */
  observe(score: number, label: boolean): void;
  /** How many times the threshold was recomputed. */
  readonly updates: number;
}

/**
 * Chooses the alert threshold for a target precision from the most recent `window` labelled
 * scores: every `every` labels it sorts them by score, highest first, and takes the lowest
 * score at which the alerts above it would have had at least `target` precision (the most
 * recall for that precision), provided they caught `minTruePositives` frauds and the window
 * holds `minNegatives` legitimate labels (until then the threshold stays). When no threshold
 * reaches the target, it rises to just above the window's top score. Labels come from the label
 * join (chargebacks, or no chargeback within the TTL), so the choice follows the model as it
 * learns and the fraud mix as it drifts.
 */
export function precisionThreshold(options: PrecisionThresholdOptions = {}): PrecisionThreshold {
  const target = options.target ?? 0.9;
  if (!(target > 0 && target <= 1)) throw invalidOption('target', 'a precision in (0, 1]', target);
  const size = options.window ?? 20_000;
  const every = options.every ?? 500;
  const minTp = options.minTruePositives ?? 10;
  const minNeg = options.minNegatives ?? 1000;
  for (const [name, v] of [
    ['window', size],
    ['every', every],
    ['minTruePositives', minTp],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw invalidOption(name, 'an integer >= 1', v);
  }
  if (!Number.isInteger(minNeg) || minNeg < 0) {
    throw invalidOption('minNegatives', 'an integer >= 0', minNeg);
  }
  let threshold = options.initial ?? 0.99;
  const scores = new Float64Array(size);
  const labels = new Uint8Array(size);
  let filled = 0;
  let next = 0;
  let since = 0;
  let updates = 0;
  const pos = new Float64Array(size);
  const neg = new Float64Array(size);
  const topNeg = new Float64Array(size);
  // Once the walk below has taken `fp` legitimate labels with fp·target > (1 − target)·np, no
  // lower threshold reaches the target (tp ≤ np): np/(np + fp) < target. So only the highest
  // `bound(np)` legitimate scores (and their ties) can matter, 2 more as a margin for rounding.
  const bound = (np: number) => Math.ceil((np * (1 - target)) / target) + 2;

  const recompute = () => {
    // Scores of each class sorted natively (typed arrays), then walked from the top together.
    let np = 0;
    let nn = 0;
    for (let i = 0; i < filled; i++) {
      if (labels[i] === 1) pos[np++] = scores[i] as number;
      else neg[nn++] = scores[i] as number;
    }
    if (nn < minNeg) return;
    const p = pos.subarray(0, np).sort();
    const q = highest(neg, nn, bound(np), topNeg).sort();
    let i = np - 1;
    let j = q.length - 1;
    let tp = 0;
    let fp = 0;
    let best: number | undefined;
    while (i >= 0 || j >= 0) {
      // The next lower score, and every score equal to it: a threshold takes all of them.
      const s = Math.max(i >= 0 ? (p[i] as number) : -1, j >= 0 ? (q[j] as number) : -1);
      while (i >= 0 && p[i] === s) {
        tp++;
        i--;
      }
      while (j >= 0 && q[j] === s) {
        fp++;
        j--;
      }
      if (tp >= minTp && tp / (tp + fp) >= target) best = s;
    }
    const top =
      filled > 0
        ? Math.max(
            np > 0 ? (p[np - 1] as number) : -1,
            q.length > 0 ? (q[q.length - 1] as number) : -1,
          )
        : threshold;
    threshold = best ?? Math.min(1, top + 1e-9);
    updates++;
  };

  return {
    current: () => threshold,
    observe(score, label) {
      // A score that is no number cannot be ranked (and would stall the walk below).
      if (!(score >= 0 && score <= 1)) return;
      scores[next] = score;
      labels[next] = label ? 1 : 0;
      next = (next + 1) % size;
      filled = Math.min(size, filled + 1);
      if (++since >= every) {
        since = 0;
        recompute();
      }
    },
    get updates() {
      return updates;
    },
  };
}

/**
 * The values of `a[0…n)` at or above its `k`-th highest (every tie of that one included), copied
 * into `out` (unsorted); all `n` when `n <= 2k`. Reorders `a` (a scratch list).
 */
function highest(a: Float64Array, n: number, k: number, out: Float64Array): Float64Array {
  if (n <= 2 * k) {
    out.set(a.subarray(0, n));
    return out.subarray(0, n);
  }
  const v = select(a, n, n - k);
  let m = 0;
  for (let i = 0; i < n; i++) if ((a[i] as number) >= v) out[m++] = a[i] as number;
  return out.subarray(0, m);
}

/** The `k`-th smallest (0-based) of `a[0…n)` by quickselect (median-of-three pivots); reorders `a`. */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const x = a[lo] as number;
    const y = a[(lo + hi) >>> 1] as number;
    const z = a[hi] as number;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z)); // the median
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i++] = a[j] as number;
        a[j--] = t;
      }
    }
    // a[lo…j] <= pivot <= a[i…hi], and every index strictly between holds the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}
