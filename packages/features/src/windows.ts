import { invalidOption } from '@tributary/core';

/** Fixed, non-overlapping windows `[start, start + sizeMs)`. */
export interface TumblingWindow {
  readonly type: 'tumbling';
  readonly sizeMs: number;
  readonly offsetMs: number;
}

/** Overlapping windows of `sizeMs` starting every `hopMs`. */
export interface HoppingWindow {
  readonly type: 'hopping';
  readonly sizeMs: number;
  readonly hopMs: number;
  readonly offsetMs: number;
}

/** For each record at `t`, the window `(t - sizeMs, t]` ("the last hour"). */
export interface SlidingWindow {
  readonly type: 'sliding';
  readonly sizeMs: number;
}

/** Activity sessions: records less than `gapMs` apart share a window `[first, last + gapMs)`. */
export interface SessionWindow {
  readonly type: 'session';
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
