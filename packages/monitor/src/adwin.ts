import { invalidOption } from '@tributary/core';
import { defineDetectorWithState } from './defineDetector.js';
import type { DriftDetector } from './driftDetector.js';

/** Options of {@link adwin}; defaults are River's. */
export interface AdwinOptions {
  /** Confidence: smaller means fewer false alarms and later detection. Default 0.002. */
  readonly delta?: number;
  /** Check for change every `clock` updates. Default 32. */
  readonly clock?: number;
  /** Buckets of each size kept before two are merged. Default 5. */
  readonly maxBuckets?: number;
  /** Least length of each sub-window compared. Default 5. */
  readonly minWindowLength?: number;
  /** No change is signalled before this many updates. Default 10. */
  readonly gracePeriod?: number;
}

// Exponential histogram: rows[i] holds buckets of 2^i items, oldest first, as [total, variance].
interface AdwinState {
  rows: [number, number][][];
  total: number;
  variance: number;
  width: number;
  tick: number;
}

/** ADWIN detector, with its window's size and mean. */
export interface Adwin extends DriftDetector {
  /** Mean of the values in the current window. */
  readonly estimation: number;
  /** Number of values in the current window. */
  readonly width: number;
}

/**
 * ADWIN, adaptive windowing (Bifet & Gavaldà 2007), as River's `drift.ADWIN`: keeps a window of
 * recent values in an exponential histogram and signals drift when two sub-windows have means
 * further apart than the Hoeffding-style bound for `delta`, dropping the older part.
 * `estimation` is the mean of the current window.
 */
export function adwin(options: AdwinOptions = {}): Adwin {
  const delta = options.delta ?? 0.002;
  const clock = options.clock ?? 32;
  const maxBuckets = options.maxBuckets ?? 5;
  const minLen = options.minWindowLength ?? 5;
  const grace = options.gracePeriod ?? 10;
  if (!(delta > 0 && delta < 1)) throw invalidOption('delta', 'a number in (0, 1)', delta);
  for (const [name, v, lo] of [
    ['clock', clock, 1],
    ['maxBuckets', maxBuckets, 1],
    ['minWindowLength', minLen, 1],
    ['gracePeriod', grace, 0],
  ] as const) {
    if (!Number.isInteger(v) || v < lo) throw invalidOption(name, `an integer >= ${lo}`, v);
  }

  const insert = (s: AdwinState, value: number): void => {
    if (s.rows.length === 0) s.rows.push([]);
    s.rows[0]!.push([value, 0]);
    s.width += 1;
    if (s.width > 1) {
      const d = value - s.total / (s.width - 1);
      s.variance += ((s.width - 1) * d * d) / s.width;
    }
    s.total += value;
    // Merge the two oldest buckets of a full row into the next row, cascading.
    for (let i = 0; i < s.rows.length; i++) {
      const row = s.rows[i]!;
      if (row.length !== maxBuckets + 1) break;
      if (s.rows[i + 1] === undefined) s.rows.push([]);
      const size = 2 ** i;
      const [t1, v1] = row[0]!;
      const [t2, v2] = row[1]!;
      const mu = t1 / size - t2 / size;
      s.rows[i + 1]!.push([t1 + t2, v1 + v2 + size * 0.5 * mu * mu]);
      row.splice(0, 2);
      if (s.rows[i + 1]!.length <= maxBuckets) break;
    }
  };

  const deleteOldest = (s: AdwinState): number => {
    const last = s.rows.length - 1;
    const row = s.rows[last]!;
    const n = 2 ** last;
    const [u, v] = row[0]!;
    const mu = u / n;
    s.width -= n;
    s.total -= u;
    const muW = s.total / s.width;
    s.variance -= v + (n * s.width * (mu - muW) * (mu - muW)) / (n + s.width);
    row.shift();
    if (row.length === 0) s.rows.pop();
    return n;
  };

  const cut = (s: AdwinState, n0: number, n1: number, deltaMean: number): boolean => {
    const deltaPrime = Math.log((2 * Math.log(s.width)) / delta);
    const mRecip = 1 / (n0 - minLen + 1) + 1 / (n1 - minLen + 1);
    const eps =
      Math.sqrt(2 * mRecip * (s.variance / s.width) * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
    return Math.abs(deltaMean) > eps;
  };

  const detect = (s: AdwinState): boolean => {
    s.tick += 1;
    let change = false;
    if (s.tick % clock !== 0 || s.width <= grace) return false;
    let reduce = true;
    while (reduce) {
      reduce = false;
      let n0 = 0;
      let n1 = s.width;
      let u0 = 0;
      let u1 = s.total;
      let done = false;
      // Every cut between buckets, oldest first (River's order, which decides what is dropped).
      for (let i = s.rows.length - 1; i >= 0 && !done; i--) {
        const row = s.rows[i]!;
        const size = 2 ** i;
        for (let k = 0; k < row.length; k++) {
          n0 += size;
          n1 -= size;
          u0 += row[k]![0];
          u1 -= row[k]![0];
          if (i === 0 && k === row.length - 1) {
            done = true;
            break;
          }
          if (n1 >= minLen && n0 >= minLen && cut(s, n0, n1, u0 / n0 - u1 / n1)) {
            reduce = true;
            change = true;
            if (s.width > 0) deleteOldest(s);
            done = true;
            break;
          }
        }
      }
    }
    return change;
  };

  const { detector, state } = defineDetectorWithState<AdwinState>({
    name: 'adwin',
    init: () => ({ rows: [[]], total: 0, variance: 0, width: 0, tick: 0 }),
    update(s, x) {
      insert(s, x);
      return { drift: detect(s), warning: false };
    },
    count: (s) => s.tick,
    isState: (s): s is AdwinState =>
      typeof s === 'object' &&
      s !== null &&
      Array.isArray((s as AdwinState).rows) &&
      ['total', 'variance', 'width', 'tick'].every(
        (k) => typeof (s as unknown as Record<string, unknown>)[k] === 'number',
      ),
    clone: () => adwin(options),
  });
  return Object.defineProperties(detector, {
    estimation: { get: () => (state().width === 0 ? 0 : state().total / state().width) },
    width: { get: () => state().width },
  }) as Adwin;
}
