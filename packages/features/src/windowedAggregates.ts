import {
  type Emit,
  type ErrorPolicy,
  emit,
  invalidOption,
  type Key,
  keyToString,
  type Many,
  many,
  type PartitionState,
  type StageContext,
  type StageEndContext,
  type StageObject,
  TributaryError,
} from '@tributary/core';
import type { AggregateResults, Aggregator } from './aggregates.js';
import {
  type AccState,
  addRow,
  type Extracted,
  extractAll,
  extractInto,
  initRow,
  mergeRow,
  resultsOf,
} from './internal/accumulators.js';
import { namedObject } from './internal/compiled.js';
import { isPlainObject } from './internal/guards.js';
import { keyFrom, keyKind } from './internal/keyForm.js';
import {
  checkedEventTime,
  type LatePolicy,
  latenessOf,
  lateVerdict,
} from './internal/latePolicy.js';
import { type PartitionTimers, partitionTimers } from './internal/partitionTimers.js';
import {
  buildRunning,
  type Running,
  runningResults,
  type SlidingEntry,
  slideRunning,
  windowResults,
} from './internal/slidingRunning.js';
import { insertByTime } from './internal/timeOrdered.js';
import type { SlidingWindow, WindowSpec } from './windows.js';

export type { LatePolicy } from './internal/latePolicy.js';

/** Bounds of a window; sliding windows are `(start, end]`, the others `[start, end)`. */
export interface WindowBounds {
  /** Start of the window in event time, in ms (excluded for sliding windows, else included). */
  readonly start: number;
  /** End of the window in event time, in ms (included for sliding windows, else excluded). */
  readonly end: number;
}

/** `'enrich'` output: the record with its key's aggregates as of its arrival. */
export interface WindowedFeatures<I, R> {
  /** The input record. */
  readonly value: I;
  /** The record key as text (`''` for no key). */
  readonly key: string;
  /** The record's event time, in ms (from the `eventTime` option; default the record timestamp). */
  readonly eventTime: number;
  /** The window the aggregates cover (for hopping windows, the earliest-starting one holding the record). */
  readonly window: WindowBounds;
  /** The key's aggregates over `window` as of this record (included), by the names of the `aggregates` option. */
  readonly aggregates: R;
  /** Event time minus the key's latest event time before this record; `null` for its first record. Negative for an out-of-order record. */
  readonly sinceLastMs: number | null;
  /** True when the record was behind the watermark and aggregated anyway (`late: 'include'`). */
  readonly late: boolean;
}

/**
 * Output of several sliding windows over one buffer (the `windows` option): the record with its
 * key's aggregates in each named window `(t − size, t]`, e.g. `aggregates['1h'].n`.
 */
export interface SlidingFeatures<I, N extends string, R> {
  /** The input record. */
  readonly value: I;
  /** The record key as text (`''` for no key). */
  readonly key: string;
  /** The record's event time, in ms (from the `eventTime` option; default the record timestamp). */
  readonly eventTime: number;
  /** Bounds of each named window. */
  readonly windows: { readonly [K in N]: WindowBounds };
  /** Aggregates of each named window. */
  readonly aggregates: { readonly [K in N]: R };
  /** As in {@link WindowedFeatures}. */
  readonly sinceLastMs: number | null;
  /** True when the record was behind the watermark and aggregated anyway (`late: 'include'`). */
  readonly late: boolean;
}

/** `'windows'` output: one result per window, when the partition's watermark passes its end. */
export interface WindowResult<R> {
  /** The record key as text (`''` for no key); the emitted record keeps the original key. */
  readonly key: string;
  /** The window's bounds, `[start, end)`; a session ends at its last event plus `gapMs`. */
  readonly window: WindowBounds;
  /** The window's aggregates, by the names of the `aggregates` option. */
  readonly aggregates: R;
  /** True when late records reopened a window already emitted or evicted. */
  readonly late: boolean;
  /**
   * `'watermark'`: final. `'end'`: the input ended (a bounded source's last record) with the
   * window open; `'stop'`: `stop()` was called with it open, so it may lack records still to come.
   */
  readonly closedBy: 'watermark' | 'end' | 'stop';
}

/**
 * The record type a set of aggregators reads: the intersection of their `of` inputs (`unknown`
 * when none says, e.g. only `count()`). Annotate an `of` parameter to type the stage.
 */
export type AggregatedInput<A> = {
  // An input of `never` (e.g. `count()` typed from this very constraint) reads nothing.
  [K in keyof A]: (
    x: A[K] extends Aggregator<infer X, unknown> ? ([X] extends [never] ? unknown : X) : unknown,
  ) => void;
}[keyof A] extends (x: infer I) => void
  ? I
  : unknown;

/** Options of {@link windowedAggregates}. */
export interface WindowedAggregatesOptions<I, A> {
  /** Step name in metrics, logs and dead-letter headers. Default `'windowedAggregates'`. */
  readonly name?: string;
  /** The windows: `tumbling()`, `hopping()`, `sliding()` or `session()`. */
  readonly window: WindowSpec;
  /** Named statistics, e.g. `{ n: count(), total: sum((t: Tx) => t.amount) }`. */
  readonly aggregates: A;
  /** Event time of a record in ms. Default: the record timestamp (`ctx.timestamp`). */
  readonly eventTime?: (value: I, ctx: StageContext) => number;
  /** How far behind the newest event (of its key, or partition in `'windows'` mode) a record may be and still be on time. Default 0. */
  readonly allowedLatenessMs?: number;
  /** Policy for records behind the watermark. Default `'drop'` (counted). */
  readonly late?: LatePolicy;
  /** Per-record enrichment (default) or one result per closed window (not for sliding windows). */
  readonly output?: 'enrich' | 'windows';
  /** Error policy of this step, e.g. `deadLetter(lateSink)` with `late: 'dead-letter'`. */
  readonly onError?: ErrorPolicy;
}

/**
 * Options of {@link windowedAggregates} with several sliding windows over one per-key buffer:
 * `windows` names them, e.g. `{ '1m': sliding(60_000), '1h': sliding(3_600_000) }` (enrich
 * output only; `window` is not given).
 */
export interface SlidingWindowsOptions<I, A, W extends Readonly<Record<string, SlidingWindow>>>
  extends Omit<WindowedAggregatesOptions<I, A>, 'window' | 'output'> {
  /** Named sliding windows, at least one, e.g. `{ '1h': sliding(3_600_000) }`; the buffer keeps the longest. */
  readonly windows: W;
  /** Only `'enrich'` (the default): sliding windows never close. */
  readonly output?: 'enrich';
}

// Per-key state (plain JSON, so any state store can keep it):
// m: max event time, w: open windows [start, end, row] (session: [first, last, row]),
// e: sliding buffer [t, ...extracted], ordered by t; r: running aggregates of each sliding
// window ending at m (rebuilt from e when missing); k: the key's type when not text
// (1 bytes, 2 null), so a timer can emit a window with the key it came with.
interface KeyState {
  m: number | null;
  w: [number, number, AccState[]][];
  e: SlidingEntry[];
  r?: Running[];
  k?: 1 | 2;
}

/**
 * Per-key aggregates over event-time windows (tumbling, hopping, sliding, session), kept in
 * core's keyed state so they move with the partition. In `'enrich'` mode the watermark is per
 * key (its newest event time minus `allowedLatenessMs`) and a key's windows are evicted when its
 * own records pass them. In `'windows'` mode the watermark is the partition's, with event-time
 * timers: a window is emitted once any record of the partition moves the watermark past its end,
 * so idle keys' windows close too; at the end of input (`stopAtEnd`, or `stop()`) every open
 * window is emitted, marked by `closedBy`. Sliding windows are kept incrementally: each record
 * adds itself and subtracts the events that left (O(1) amortised per record and window; an
 * out-of-order record is aggregated by a pass over the buffer), and the `windows` option keeps
 * several sliding windows over one buffer in one stage.
 */
export function windowedAggregates<
  A extends Record<string, Aggregator<never, unknown>>,
  W extends Readonly<Record<string, SlidingWindow>>,
  I = AggregatedInput<A>,
>(
  options: SlidingWindowsOptions<I, A, W>,
): StageObject<I, SlidingFeatures<I, keyof W & string, AggregateResults<A>>>;
/** One result per closed window. */
export function windowedAggregates<
  A extends Record<string, Aggregator<never, unknown>>,
  I = AggregatedInput<A>,
>(
  options: WindowedAggregatesOptions<I, A> & { readonly output: 'windows' },
): StageObject<I, WindowResult<AggregateResults<A>>>;
/** Per-record enrichment (the default output). */
export function windowedAggregates<
  A extends Record<string, Aggregator<never, unknown>>,
  I = AggregatedInput<A>,
>(
  options: WindowedAggregatesOptions<I, A> & { readonly output?: 'enrich' },
): StageObject<I, WindowedFeatures<I, AggregateResults<A>>>;
/** Output mode known only at run time. */
export function windowedAggregates<
  A extends Record<string, Aggregator<never, unknown>>,
  I = AggregatedInput<A>,
>(
  options: WindowedAggregatesOptions<I, A>,
): StageObject<I, WindowedFeatures<I, AggregateResults<A>> | WindowResult<AggregateResults<A>>>;
export function windowedAggregates<
  A extends Record<string, Aggregator<never, unknown>>,
  I = AggregatedInput<A>,
>(
  options:
    | WindowedAggregatesOptions<I, A>
    | SlidingWindowsOptions<I, A, Readonly<Record<string, SlidingWindow>>>,
): StageObject<
  I,
  | WindowedFeatures<I, AggregateResults<A>>
  | WindowResult<AggregateResults<A>>
  | SlidingFeatures<I, string, AggregateResults<A>>
> {
  const named = 'windows' in options && options.windows !== undefined ? options.windows : undefined;
  if (named !== undefined) {
    if ('window' in options && options.window !== undefined) {
      throw invalidOption('window', 'absent when `windows` is given', options.window);
    }
    const entries = isPlainObject(named) ? Object.entries(named) : [];
    if (
      entries.length === 0 ||
      entries.some(([, w]) => !isPlainObject(w) || w.type !== 'sliding' || !(w.sizeMs > 0))
    ) {
      throw invalidOption('windows', 'an object of name → sliding(size), at least one', named);
    }
  }
  const spec: WindowSpec | undefined =
    named === undefined
      ? (options as WindowedAggregatesOptions<I, A>)?.window
      : { type: 'sliding', sizeMs: Math.max(...Object.values(named).map((w) => w.sizeMs)) };
  if (
    !isPlainObject(spec) ||
    !['tumbling', 'hopping', 'sliding', 'session'].includes(String(spec.type))
  ) {
    throw invalidOption('window', 'tumbling(), hopping(), sliding() or session()', spec);
  }
  if (!isPlainObject(options.aggregates)) {
    throw invalidOption('aggregates', 'an object of name → aggregator', options.aggregates);
  }
  const names = Object.keys(options.aggregates);
  const aggs = names.map((n) => {
    const a = options.aggregates[n];
    if (!isPlainObject(a) || typeof a.kind !== 'string') {
      throw invalidOption(`aggregates.${n}`, 'an aggregator such as count() or sum(of)', a);
    }
    return a as Aggregator<never, unknown>;
  });
  const lateOptions = latenessOf(options);
  const lateness = lateOptions.allowedLatenessMs;
  const output = options.output ?? 'enrich';
  if (output !== 'enrich' && output !== 'windows') {
    throw invalidOption('output', "'enrich' or 'windows'", output);
  }
  if (output === 'windows' && spec.type === 'sliding') {
    throw invalidOption('output', "'enrich' for sliding windows (they have no close)", output);
  }
  const eventTime = options.eventTime ?? ((_v: I, ctx: StageContext) => ctx.timestamp);
  const rowAggs = aggs as readonly Aggregator<never, unknown>[];
  const results = (row: readonly AccState[]) =>
    resultsOf(names, rowAggs, row) as AggregateResults<A>;

  type Out =
    | WindowedFeatures<I, AggregateResults<A>>
    | WindowResult<AggregateResults<A>>
    | SlidingFeatures<I, string, AggregateResults<A>>;
  // Sliding windows kept over the one buffer: [name, size]; the buffer keeps the longest.
  const slides: readonly (readonly [string, number])[] =
    named !== undefined
      ? Object.entries(named).map(([n, w]) => [n, w.sizeMs] as const)
      : spec.type === 'sliding'
        ? [['', spec.sizeMs]]
        : [];
  const longest = Math.max(0, ...slides.map(([, size]) => size));
  const validRunning = (r: Running[] | undefined): r is Running[] => {
    if (!Array.isArray(r) || r.length !== slides.length) return false;
    for (let i = 0; i < r.length; i++) {
      const x = r[i];
      if (!Array.isArray(x) || x[0] !== slides[i]![1] || x.length !== aggs.length + 2) return false;
    }
    return true;
  };
  // Built once: the running windows' result reader, and the per-window objects of the output.
  const extractors = aggs as unknown as readonly Aggregator<I, unknown>[];
  const readRunning = runningResults(names, rowAggs);
  const windowNames = slides.map(([n]) => n);
  const byWindow = namedObject<unknown>(windowNames);
  const bounds: WindowBounds[] = slides.map(() => ({ start: 0, end: 0 }));
  const foundRows: Record<string, number | null>[] = slides.map(() => ({}));

  const process = (value: I, ctx: StageContext): Out | Many<Out> | undefined => {
    const t = checkedEventTime(eventTime(value, ctx));
    const st = readState(ctx.state.get());
    const timers = output === 'windows' ? timersOf(ctx.partitionState, ctx) : undefined;
    const maxSeen = timers === undefined ? st.m : timers.max;
    const watermark = maxSeen === null ? Number.NEGATIVE_INFINITY : maxSeen - lateness;
    const verdict = lateVerdict(
      lateOptions,
      t,
      watermark,
      timers === undefined ? 'key' : 'partition',
      ctx,
    );
    if (verdict === 'dropped') return undefined;
    const late = verdict === 'late';
    // Extract before touching state, so a bad value leaves the state as it was. A sliding
    // buffer entry is the event time, then the extracted values: built as one array.
    const xs =
      slides.length > 0
        ? extractInto(extractors, value, [t] as Extracted[])
        : extractAll(extractors, value);
    const key = keyToString(ctx.key);
    const sinceLastMs = st.m === null ? null : t - st.m;
    st.m = st.m === null ? t : Math.max(st.m, t);
    if (timers !== undefined) {
      return windowsMode(ctx, timers, st, key, t, xs, late, watermark);
    }
    const mark = st.m - lateness;

    let out: Out | Many<Out> | undefined;
    if (slides.length > 0) {
      const entry = xs as SlidingEntry;
      let found: Record<string, number | null>[];
      if (sinceLastMs === null || sinceLastMs >= 0) {
        // In order: the running windows end at t; slide them.
        st.e.push(entry);
        const e = st.e;
        if (validRunning(st.r)) for (const r of st.r) slideRunning(rowAggs, r, e);
        else
          st.r = slides.map(([, size]) => buildRunning(rowAggs, size, e, firstAfter(e, t - size)));
        // A scratch list: the output keeps the result objects, not the list.
        found = foundRows;
        for (let i = 0; i < st.r.length; i++) found[i] = readRunning(st.r[i]!);
      } else {
        // Out of order: its windows end before the newest event; a pass over the buffer, and
        // the running windows are rebuilt by the next record in order.
        insertByTime(st.e, entry);
        delete st.r;
        found = slides.map(([, size]) => windowResults(names, rowAggs, st.e, t, size));
      }
      if (named === undefined) {
        out = {
          value,
          key,
          eventTime: t,
          window: { start: t - longest, end: t },
          aggregates: found[0] as AggregateResults<A>,
          sinceLastMs,
          late,
        };
      } else {
        for (let i = 0; i < slides.length; i++) {
          bounds[i] = { start: t - slides[i]![1], end: t };
        }
        const windows = byWindow(bounds) as Record<string, WindowBounds>;
        const byName = byWindow(found) as Record<string, AggregateResults<A>>;
        out = { value, key, eventTime: t, windows, aggregates: byName, sinceLastMs, late };
      }
      const horizon = mark - longest;
      let drop = 0;
      while (drop < st.e.length && st.e[drop]![0] <= horizon) drop++;
      if (drop > 0) {
        st.e.splice(0, drop);
        // Every running window starts after the horizon.
        for (const r of st.r ?? []) r[1] -= drop;
      }
    } else {
      const hit = addRecord(st, t, xs);
      out = {
        value,
        key,
        eventTime: t,
        window: hit.bounds,
        aggregates: results(hit.row),
        sinceLastMs,
        late,
      };
      // Evict windows the key's watermark has passed.
      st.w = st.w.filter((w) => w[1] + gap > mark);
    }
    ctx.state.set(st);
    return out;
  };

  const gap = spec.type === 'session' ? spec.gapMs : 0;
  const addRecord = (st: KeyState, t: number, xs: readonly Extracted[]): Hit =>
    spec.type === 'session'
      ? addToSession(rowAggs, st, t, xs, spec.gapMs)
      : addToWindows(
          rowAggs,
          st,
          t,
          xs,
          spec as Extract<WindowSpec, { type: 'tumbling' | 'hopping' }>,
        );
  /** When the earliest of `st`'s windows closes (sessions at last event + gap). */
  const closeOf = (st: KeyState): number | undefined => {
    let close: number | undefined;
    for (const w of st.w) if (close === undefined || w[1] + gap < close) close = w[1] + gap;
    return close;
  };

  // Timers per partition (topic, partition) this stage has seen; rebuilt from state when stale.
  const timerCache = new Map<string, PartitionTimers>();
  const timersOf = (
    ps: PartitionState | undefined,
    at: { topic: string; partition: number },
  ): PartitionTimers => {
    if (ps === undefined) {
      throw new TributaryError(
        'STATE_FAILED',
        "windowedAggregates with output 'windows' needs ctx.partitionState (run() sets it)",
      );
    }
    return partitionTimers(timerCache, `${at.topic}\u0000${at.partition}`, ps, keyTimer);
  };
  const keyTimer = (raw: unknown) => {
    const st = readState(raw);
    return { close: closeOf(st), max: st.m };
  };

  type Closed = { end: number; key: string; out: Emit<Out> };
  const closedWindow = (
    key: string,
    outKey: Key,
    w: KeyState['w'][number],
    late: boolean,
    closedBy: WindowResult<unknown>['closedBy'],
  ): Closed => {
    const end = w[1] + gap;
    const result: WindowResult<AggregateResults<A>> = {
      key,
      window: { start: w[0], end },
      aggregates: results(w[2]),
      late,
      closedBy,
    };
    return { end, key, out: emit<Out>(result, { key: outKey, timestamp: end }) };
  };
  const inOrder = (closed: Closed[]): Many<Out> | undefined => {
    if (closed.length === 0) return undefined;
    closed.sort((a, b) => a.end - b.end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return many(closed.map((c) => c.out));
  };

  // 'windows' output: add the record, move the partition's watermark, fire due timers.
  const windowsMode = (
    ctx: StageContext,
    timers: PartitionTimers,
    st: KeyState,
    key: string,
    t: number,
    xs: readonly Extracted[],
    late: boolean,
    watermark: number,
  ): Many<Out> | undefined => {
    const ps = ctx.partitionState as PartitionState;
    const kind = keyKind(ctx.key);
    if (kind !== undefined) st.k = kind;
    addRecord(st, t, xs);
    // The slot is written when windows close, not per record: between closes, every newer event
    // is in a key's open window, so a rebuild finds the max in the keys' state.
    if (timers.max === null || t > timers.max) timers.max = t;
    const mark = timers.max - lateness;
    timers.schedule(key, closeOf(st));
    const closed: Closed[] = [];
    for (const k of timers.due(mark)) {
      const own = k === key;
      const ks = own ? st : readState(ps.of(k).get());
      const outKey = own ? ctx.key : keyFrom(k, ks.k);
      ks.w = ks.w.filter((w) => {
        if (w[1] + gap > mark) return true;
        closed.push(
          closedWindow(k, outKey, w, own && late && w[1] + gap <= watermark, 'watermark'),
        );
        return false;
      });
      timers.schedule(k, closeOf(ks));
      // Keys with no open window keep no state: nothing of theirs is needed any more.
      if (!own) {
        if (ks.w.length === 0) ps.of(k).delete();
        else ps.of(k).set(ks);
      }
    }
    if (st.w.length === 0) ctx.state.delete();
    else ctx.state.set(st);
    if (closed.length > 0) {
      timers.save(ps);
      ctx.count('windows_emitted', closed.length);
    }
    return inOrder(closed);
  };

  // End of input: every open window of the partition, in order of end. They stay in state, so
  // a run that resumes from the committed offsets emits them again when the watermark passes.
  const end = (ctx: StageEndContext): Many<Out> | undefined => {
    if (output !== 'windows') return undefined;
    const ps = ctx.partitionState;
    const timers = timersOf(ps, ctx);
    const closed: Closed[] = [];
    for (const k of timers.keys()) {
      const ks = readState(ps.of(k).get());
      for (const w of ks.w) closed.push(closedWindow(k, keyFrom(k, ks.k), w, false, ctx.reason));
    }
    if (closed.length > 0) ctx.count('windows_emitted', closed.length);
    return inOrder(closed);
  };

  const stage: StageObject<I, Out> = {
    name: options.name ?? 'windowedAggregates',
    process,
    end,
    // Lateness and bad values fail the same way every time: retrying them only delays the policy.
    retry: { retries: 0 },
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  };
  return stage;
}

function readState(raw: unknown): KeyState {
  if (raw === undefined) return { m: null, w: [], e: [] };
  const s = raw as KeyState;
  if (!isPlainObject(raw) || !Array.isArray(s.w) || !Array.isArray(s.e)) {
    throw new TributaryError(
      'STATE_FAILED',
      'windowedAggregates: keyed state has an unknown shape',
      {
        details: { got: typeof raw },
      },
    );
  }
  return s;
}

/** Index of the first entry after `cut` (entries are ordered by time). */
function firstAfter(events: readonly SlidingEntry[], cut: number): number {
  let i = 0;
  while (i < events.length && events[i]![0] <= cut) i++;
  return i;
}

interface Hit {
  bounds: WindowBounds;
  row: AccState[];
}

// Tumbling/hopping: adds xs to every window holding t, creating missing ones; returns the
// earliest-starting window holding t.
function addToWindows(
  aggs: readonly Aggregator<never, unknown>[],
  st: KeyState,
  t: number,
  xs: readonly Extracted[],
  spec: Extract<WindowSpec, { type: 'tumbling' | 'hopping' }>,
): Hit {
  const step = spec.type === 'tumbling' ? spec.sizeMs : spec.hopMs;
  const last = Math.floor((t - spec.offsetMs) / step) * step + spec.offsetMs;
  let first: Hit | undefined;
  for (let start = last; start > t - spec.sizeMs; start -= step) {
    let w = st.w.find((x) => x[0] === start);
    if (w === undefined) {
      w = [start, start + spec.sizeMs, initRow(aggs)];
      st.w.push(w);
    }
    addRow(aggs, w[2], xs);
    first = { bounds: { start, end: start + spec.sizeMs }, row: w[2] };
  }
  st.w.sort((a, b) => a[0] - b[0]);
  return first!;
}

// Sessions are kept as [first, last, row]. A record joins every session whose span widened by
// the gap holds it; since kept sessions are at least a gap apart it bridges at most two.
function addToSession(
  aggs: readonly Aggregator<never, unknown>[],
  st: KeyState,
  t: number,
  xs: readonly Extracted[],
  gap: number,
): Hit {
  const row = initRow(aggs);
  addRow(aggs, row, xs);
  let first = t;
  let last = t;
  const rest: KeyState['w'] = [];
  for (const w of st.w) {
    if (w[0] - gap < t && t < w[1] + gap) {
      first = Math.min(first, w[0]);
      last = Math.max(last, w[1]);
      mergeRow(aggs, row, w[2]);
    } else rest.push(w);
  }
  rest.push([first, last, row]);
  rest.sort((a, b) => a[0] - b[0]);
  st.w = rest;
  return { bounds: { start: first, end: last + gap }, row };
}
