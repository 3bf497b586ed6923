import { invalidOption, TributaryError } from '@tributary/core';
import { defineMetric } from '../defineMetric.js';
import type { Metric } from '../metric.js';

/**
 * Weighted positives and negatives per distinct score, as plain data: `scores[i]` has
 * `pos[i]` and `neg[i]` (in no particular order). Exact ranking statistics, revertible.
 */
export interface ScoreCounts {
  scores: number[];
  pos: number[];
  neg: number[];
}

/** The state before this layout: counts keyed by the score's text (snapshots may hold it). */
type LegacyCounts = Record<string, [pos: number, neg: number]>;

const isCounts = (s: unknown): s is ScoreCounts => {
  const c = s as ScoreCounts;
  return (
    typeof s === 'object' &&
    s !== null &&
    Array.isArray(c.scores) &&
    Array.isArray(c.pos) &&
    Array.isArray(c.neg) &&
    c.scores.length === c.pos.length &&
    c.scores.length === c.neg.length &&
    [c.scores, c.pos, c.neg].every((a) => a.every((n) => typeof n === 'number'))
  );
};
const isLegacy = (s: unknown): s is LegacyCounts =>
  typeof s === 'object' &&
  s !== null &&
  !Array.isArray(s) &&
  Object.values(s).every(
    (v) => Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number'),
  );
// Cheap layout test for the hot path (isState has checked the contents of a restored state).
const current = (s: ScoreCounts | LegacyCounts): ScoreCounts =>
  Array.isArray((s as ScoreCounts).scores) ? (s as ScoreCounts) : fromLegacy(s as LegacyCounts);
const fromLegacy = (s: LegacyCounts): ScoreCounts => {
  const out: ScoreCounts = { scores: [], pos: [], neg: [] };
  for (const [k, [p, n]] of Object.entries(s)) {
    out.scores.push(Number(k));
    out.pos.push(p);
    out.neg.push(n);
  }
  return out;
};

/**
 * The rounding of `decimals` (`Math.round(p·10^d) / 10^d`, monotone, so rounded scores keep
 * the order of the scores they come from), or none for an exact metric; validates the option.
 */
function scoreRounding(decimals: number | undefined): ((p: number) => number) | undefined {
  if (decimals === undefined) return undefined;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) {
    throw invalidOption('decimals', 'an integer from 0 to 15', decimals);
  }
  const f = 10 ** decimals;
  return (p) => Math.round(p * f) / f;
}

/** The slot of `score` in `s`, a new empty one (indexed) if it has none. */
function slotOf(s: ScoreCounts, index: Map<number, number>, score: number): number {
  let i = index.get(score);
  if (i === undefined) {
    i = s.scores.length;
    s.scores.push(score);
    s.pos.push(0);
    s.neg.push(0);
    index.set(score, i);
  }
  return i;
}

// Score → slot of each live state; rebuilt from the arrays for a restored state (a new object).
// With a rounding, the rebuild also folds slots that round alike into one (a state restored
// from an exact metric's snapshot, or saved with other decimals).
const indexes = new WeakMap<ScoreCounts, Map<number, number>>();
const indexOf = (
  s: ScoreCounts,
  round: ((p: number) => number) | undefined,
): Map<number, number> => {
  let index = indexes.get(s);
  if (index === undefined) {
    index = new Map();
    if (round === undefined) {
      for (let i = 0; i < s.scores.length; i++) index.set(s.scores[i] as number, i);
    } else {
      const { scores, pos, neg } = s;
      s.scores = [];
      s.pos = [];
      s.neg = [];
      for (let i = 0; i < scores.length; i++) {
        const j = slotOf(s, index, round(scores[i] as number));
        s.pos[j] = (s.pos[j] as number) + (pos[i] as number);
        s.neg[j] = (s.neg[j] as number) + (neg[i] as number);
      }
    }
    indexes.set(s, index);
  }
  return index;
};

/**
 * A ranking metric (ROC AUC, average precision) over per-score counts: O(1) per update (a hash
 * map from the score to its counts), the sort by score only when the value is read. Exact, or
 * with `decimals` over the scores rounded to that many decimal places (at most 10^d + 1 slots
 * for scores in [0, 1]; scores in one slot are ties).
 */
export function scoreMetric<Y>(
  name: string,
  positive: Y,
  decimals: number | undefined,
  value: (sorted: readonly [score: number, pos: number, neg: number][]) => number,
  clone: () => Metric<Y, number>,
): Metric<Y, number> {
  const round = scoreRounding(decimals);
  // The index of the state last updated: the state object stays the same from one update to
  // the next, so the WeakMap is asked only when it changes (reset, restore).
  let last: ScoreCounts | undefined;
  let lastIndex: Map<number, number> | undefined;
  const indexFor = (s: ScoreCounts): Map<number, number> => {
    if (s !== last || lastIndex === undefined) {
      lastIndex = indexOf(s, round);
      last = s;
    }
    return lastIndex;
  };
  return defineMetric<ScoreCounts | LegacyCounts, Y, number>({
    name,
    uses: 'probability',
    biggerIsBetter: true,
    init: () => ({ scores: [], pos: [], neg: [] }),
    add(state, y, p, w) {
      if (typeof p !== 'number' || Number.isNaN(p)) {
        throw new TributaryError('MONITOR_BAD_VALUE', `${name}: the score must be a number`, {
          details: { metric: name, score: String(p) },
        });
      }
      const s = current(state);
      const index = indexFor(s);
      const score = round === undefined ? p : round(p);
      const i = slotOf(s, index, score);
      const counts = y === positive ? s.pos : s.neg;
      counts[i] = (counts[i] as number) + w;
      // Drop reverted-out scores (swap in the last slot) so a rolling window keeps only what it holds.
      if (Math.abs(s.pos[i] as number) < 1e-12 && Math.abs(s.neg[i] as number) < 1e-12) {
        const last = s.scores.length - 1;
        index.delete(score);
        if (i !== last) {
          s.scores[i] = s.scores[last] as number;
          s.pos[i] = s.pos[last] as number;
          s.neg[i] = s.neg[last] as number;
          index.set(s.scores[i] as number, i);
        }
        s.scores.pop();
        s.pos.pop();
        s.neg.pop();
      }
      return s;
    },
    value(state) {
      const s = current(state);
      if (round !== undefined) indexOf(s, round); // folds a restored state's slots
      const sorted: [number, number, number][] = new Array(s.scores.length);
      for (let i = 0; i < s.scores.length; i++) {
        sorted[i] = [s.scores[i] as number, s.pos[i] as number, s.neg[i] as number];
      }
      return value(sorted.sort((a, b) => a[0] - b[0]));
    },
    isState: (s): s is ScoreCounts | LegacyCounts => isCounts(s) || isLegacy(s),
    clone,
  });
}

/**
 * Folds the score thresholds highest first (each tie group whole, empty groups skipped):
 * `step(acc, pos, tp, fp, total)` with the group's positive weight, the true and false positives
 * at or above it and the total positive weight; `NaN` with no positive.
 */
export function foldFromTop(
  sorted: readonly [score: number, pos: number, neg: number][],
  step: (acc: number, pos: number, tp: number, fp: number, total: number) => number,
): number {
  let total = 0;
  for (const [, p] of sorted) total += p;
  if (total === 0) return Number.NaN;
  let tp = 0;
  let fp = 0;
  let acc = 0;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const [, p, n] = sorted[i]!;
    if (p === 0 && n === 0) continue;
    tp += p;
    fp += n;
    acc = step(acc, p, tp, fp, total);
  }
  return acc;
}
