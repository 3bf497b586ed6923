import type { Aggregator } from '../aggregates.js';
import { addRow, type Extracted, initRow, resultOf } from './accumulators.js';
import { namedObject } from './compiled.js';
import { addMoment, type Moments, mergeMoments } from './welford.js';

/** A sliding buffer entry: event time, then each aggregator's extracted value. */
export type SlidingEntry = [number, ...Extracted[]];

/**
 * Two stacks for sums and moments, which are not subtracted (a subtraction leaves rounding
 * error: a variance that should be 0 would come out 1e-13). `[front, back]`: `back` aggregates
 * the newest entries; `front` holds, top last, the aggregates of the oldest `front.length`
 * entries of the window from each one to the end of the front, so an entry leaves by a pop.
 * When the front is empty, the back's entries are turned into a front (O(1) amortised).
 * Sums are numbers; moments are flattened triples.
 */
type TwoStacks = [front: number[], back: number | Moments];

/**
 * Running state of one aggregator over the window ending at the key's newest event, as plain
 * JSON: count a number, sum, mean and std {@link TwoStacks}, min and max a monotonic queue of
 * `[t, v, t, v, …]` (values rising for min, falling for max), distinct `[size, counts]`.
 */
type RunAcc = number | TwoStacks | number[] | [number, Record<string, number>];

/** One sliding window's running aggregates: `[sizeMs, lo, ...accs]`; the window holds buffer entries `lo…`. */
export type Running = [number, number, ...RunAcc[]];

const OFFSET = 2;

function initRun(kind: Aggregator<never, unknown>['kind']): RunAcc {
  switch (kind) {
    case 'count':
      return 0;
    case 'sum':
      return [[], 0];
    case 'mean':
    case 'std':
      return [[], [0, 0, 0]];
    case 'min':
    case 'max':
      return [];
    case 'distinct':
      // A prototype-less object is a hash table from the start (V8's dictionary mode): a `{}`
      // keyed by values took a new hidden class per value added, and its keyed reads missed
      // the inline caches. `__proto__` is then a value like any other. (A state restored from
      // JSON holds a plain object again: slower reads, and a `__proto__` value miscounted.)
      return [0, Object.create(null) as Record<string, number>];
  }
}

function addRun(
  kind: Aggregator<never, unknown>['kind'],
  s: RunAcc,
  t: number,
  x: number | string,
): RunAcc {
  switch (kind) {
    case 'count':
      return (s as number) + 1;
    case 'sum': {
      const st = s as TwoStacks;
      st[1] = (st[1] as number) + (x as number);
      return st;
    }
    case 'mean':
    case 'std':
      addMoment((s as TwoStacks)[1] as Moments, x as number);
      return s;
    case 'min':
    case 'max': {
      // Values that can never be the extreme again (an equal or better one came later) leave.
      const q = s as number[];
      const v = x as number;
      while (q.length > 0 && (kind === 'min' ? q[q.length - 1]! >= v : q[q.length - 1]! <= v)) {
        q.pop();
        q.pop();
      }
      q.push(t, v);
      return q;
    }
    case 'distinct': {
      const d = s as [number, Record<string, number>];
      const k = String(x);
      const n = d[1][k];
      if (n === undefined) {
        d[1][k] = 1;
        d[0]++;
      } else d[1][k] = n + 1;
      return d;
    }
  }
}

/**
 * Takes the oldest entry of the window (`entry`, at index `lo` of `e`) out of `s`. Sums and
 * moments pop it off their front, first turning the back into a front when the front is empty:
 * the back then holds exactly `e[lo…]`.
 */
function removeRun(
  kind: Aggregator<never, unknown>['kind'],
  s: RunAcc,
  e: readonly SlidingEntry[],
  lo: number,
  i: number,
): RunAcc {
  const entry = e[lo]!;
  const x = entry[i + 1];
  if (kind === 'sum' || kind === 'mean' || kind === 'std') {
    const st = s as TwoStacks;
    if (st[0].length === 0) flip(kind, st, e, lo, i);
    const front = st[0];
    front.pop();
    // Pops, not `length -= 3`: setting an array's length is a call into the runtime.
    if (kind !== 'sum') {
      front.pop();
      front.pop();
    }
    return st;
  }
  if (x === null || x === undefined) return s;
  switch (kind) {
    case 'count':
      return (s as number) - 1;
    case 'min':
    case 'max': {
      // Only the front can be this old; a dominated value already left.
      const q = s as number[];
      let drop = 0;
      while (drop < q.length && q[drop]! <= entry[0]) drop += 2;
      if (drop > 0) q.splice(0, drop);
      return q;
    }
    case 'distinct': {
      const d = s as [number, Record<string, number>];
      const k = String(x);
      const n = d[1][k]!;
      if (n <= 1) {
        delete d[1][k];
        d[0]--;
      } else d[1][k] = n - 1;
      return d;
    }
  }
}

// The back's entries e[lo…] become the front: suffix aggregates, the oldest entry's on top.
// The front is empty here, so its array is refilled rather than replaced.
function flip(
  kind: 'sum' | 'mean' | 'std',
  st: TwoStacks,
  e: readonly SlidingEntry[],
  lo: number,
  i: number,
): void {
  const front = st[0];
  if (kind === 'sum') {
    let acc = 0;
    for (let j = e.length - 1; j >= lo; j--) {
      const x = e[j]![i + 1];
      if (typeof x === 'number') acc += x;
      front.push(acc);
    }
    st[1] = 0;
  } else {
    // The back's triple is spent: it accumulates the suffixes, then starts again at zero.
    const m = st[1] as Moments;
    m[0] = 0;
    m[1] = 0;
    m[2] = 0;
    for (let j = e.length - 1; j >= lo; j--) {
      const x = e[j]![i + 1];
      if (typeof x === 'number') addMoment(m, x);
      front.push(m[0], m[1], m[2]);
    }
    m[0] = 0;
    m[1] = 0;
    m[2] = 0;
  }
}

// Scratch moments for reading a window's result: the front's top merged with the back.
const merged: Moments = [0, 0, 0];

function resultRun(a: Aggregator<never, unknown>, s: RunAcc): number | null {
  switch (a.kind) {
    case 'count':
      return s as number;
    case 'sum': {
      const [front, back] = s as TwoStacks;
      return (front.length === 0 ? 0 : front[front.length - 1]!) + (back as number);
    }
    case 'mean':
    case 'std': {
      const [front, back] = s as TwoStacks;
      const k = front.length;
      merged[0] = k === 0 ? 0 : front[k - 3]!;
      merged[1] = k === 0 ? 0 : front[k - 2]!;
      merged[2] = k === 0 ? 0 : front[k - 1]!;
      mergeMoments(merged, back as Moments);
      return resultOf(a, merged);
    }
    case 'min':
    case 'max': {
      const q = s as number[];
      return q.length === 0 ? null : q[1]!;
    }
    case 'distinct':
      return (s as [number, Record<string, number>])[0];
  }
}

/** Running aggregates of the entries `lo…` of `e` (a full pass; also the periodic rebuild). */
export function buildRunning(
  aggs: readonly Aggregator<never, unknown>[],
  sizeMs: number,
  e: readonly SlidingEntry[],
  lo: number,
): Running {
  const r: Running = [sizeMs, lo, ...aggs.map((a) => initRun(a.kind))];
  for (let j = lo; j < e.length; j++) addEntry(aggs, r, e[j]!);
  return r;
}

function addEntry(
  aggs: readonly Aggregator<never, unknown>[],
  r: Running,
  entry: SlidingEntry,
): void {
  for (let i = 0; i < aggs.length; i++) {
    const x = entry[i + 1];
    if (x !== null && x !== undefined) {
      r[i + OFFSET] = addRun(aggs[i]!.kind, r[i + OFFSET]!, entry[0], x);
    }
  }
}

/**
 * Moves `r` to the window `(t − size, t]` after `e`'s last entry (time `t`, the key's newest)
 * was appended: adds it, takes out the entries that left. O(1) amortised per record.
 */
export function slideRunning(
  aggs: readonly Aggregator<never, unknown>[],
  r: Running,
  e: readonly SlidingEntry[],
): Running {
  const entry = e[e.length - 1]!;
  addEntry(aggs, r, entry);
  let lo = r[1];
  const cut = entry[0] - r[0];
  while (lo < e.length && e[lo]![0] <= cut) {
    for (let i = 0; i < aggs.length; i++) {
      r[i + OFFSET] = removeRun(aggs[i]!.kind, r[i + OFFSET]!, e, lo, i);
    }
    lo++;
  }
  r[1] = lo;
  return r;
}

/**
 * The reader of a running window's named results, `read(r)` → `{ [names[i]]: result }`, built
 * once per stage: the results go into a scratch row, then into one object of a fixed shape.
 */
export function runningResults(
  names: readonly string[],
  aggs: readonly Aggregator<never, unknown>[],
): (r: Running) => Record<string, number | null> {
  const make = namedObject<number | null>(names);
  const row: (number | null)[] = aggs.map(() => null);
  return (r) => {
    for (let i = 0; i < aggs.length; i++) row[i] = resultRun(aggs[i]!, r[i + OFFSET]!);
    return make(row);
  };
}

/** Results over the entries of `e` in `(t − size, t]` by a full pass (out-of-order records). */
export function windowResults(
  names: readonly string[],
  aggs: readonly Aggregator<never, unknown>[],
  e: readonly SlidingEntry[],
  t: number,
  sizeMs: number,
): Record<string, number | null> {
  const row = initRow(aggs);
  for (const entry of e) {
    const et = entry[0];
    if (et > t - sizeMs && et <= t) addRow(aggs, row, entry.slice(1) as Extracted[]);
  }
  const out: Record<string, number | null> = {};
  for (let i = 0; i < aggs.length; i++) out[names[i]!] = resultOf(aggs[i]!, row[i]!);
  return out;
}
