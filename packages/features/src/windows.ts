import { invalidOption } from '@tributary/core';

/** Fixed, non-overlapping windows `[start, start + sizeMs)`. */
export interface TumblingWindow {
  /** Discriminant: `'tumbling'`. */
  readonly type: 'tumbling';
  /** Length of each window, in ms (> 0). */
  readonly sizeMs: number;
  /** Windows start at the epoch plus `offsetMs` plus a multiple of `sizeMs`, in ms; `tumbling()` defaults it to 0. */
  readonly offsetMs: number;
}

/** Overlapping windows of `sizeMs` starting every `hopMs`. */
export interface HoppingWindow {
  /** Discriminant: `'hopping'`. */
  readonly type: 'hopping';
  /** Length of each window, in ms (> 0). */
  readonly sizeMs: number;
  /** Time between two window starts, in ms (> 0 and <= `sizeMs`). */
  readonly hopMs: number;
  /** Windows start at the epoch plus `offsetMs` plus a multiple of `hopMs`, in ms; `hopping()` defaults it to 0. */
  readonly offsetMs: number;
}

/** For each record at `t`, the window `(t - sizeMs, t]` ("the last hour"). */
export interface SlidingWindow {
  /** Discriminant: `'sliding'`. */
  readonly type: 'sliding';
  /** How far back from each record the window reaches, in ms (> 0). */
  readonly sizeMs: number;
}

/** Activity sessions: records less than `gapMs` apart share a window `[first, last + gapMs)`. */
export interface SessionWindow {
  /** Discriminant: `'session'`. */
  readonly type: 'session';
  /** Inactivity that closes a session, in ms (> 0): a record less than `gapMs` from a session's events joins it. */
  readonly gapMs: number;
}

/** A window definition for {@link windowedAggregates}. */
export type WindowSpec = TumblingWindow | HoppingWindow | SlidingWindow | SessionWindow;

const positive = (name: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw invalidOption(name, 'a finite number > 0 (milliseconds)', v);
  }
  return v;
};
const finite = (name: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidOption(name, 'a finite number', v);
  return v;
};

/** Tumbling windows of `sizeMs`, aligned to the epoch plus `offsetMs`. */
export function tumbling(sizeMs: number, options: { offsetMs?: number } = {}): TumblingWindow {
  return {
    type: 'tumbling',
    sizeMs: positive('sizeMs', sizeMs),
    offsetMs: finite('offsetMs', options.offsetMs ?? 0),
  };
}

/** Hopping windows of `sizeMs` every `hopMs` (`hopMs <= sizeMs`), aligned to the epoch plus `offsetMs`. */
export function hopping(
  sizeMs: number,
  hopMs: number,
  options: { offsetMs?: number } = {},
): HoppingWindow {
  const size = positive('sizeMs', sizeMs);
  const hop = positive('hopMs', hopMs);
  if (hop > size) throw invalidOption('hopMs', `a number <= sizeMs (${size})`, hop);
  return {
    type: 'hopping',
    sizeMs: size,
    hopMs: hop,
    offsetMs: finite('offsetMs', options.offsetMs ?? 0),
  };
}

/** Sliding windows: each record sees the records of its key in `(t - sizeMs, t]`. */
export function sliding(sizeMs: number): SlidingWindow {
  return { type: 'sliding', sizeMs: positive('sizeMs', sizeMs) };
}

/** Session windows closed by `gapMs` of inactivity. */
export function session(gapMs: number): SessionWindow {
  return { type: 'session', gapMs: positive('gapMs', gapMs) };
}
