import { invalidOption, type StageContext, TributaryError } from '@tributary/core';

/**
 * What happens to a record behind the watermark (the newest event time seen minus the allowed
 * lateness; each stage says whose newest event: its key's, its partition's, or a join key's
 * over both topics).
 */
export type LatePolicy =
  /**
   * Process it anyway with what the stage still holds: the windowed aggregates add it to the
   * windows still kept (an evicted one restarts from it) and mark outputs `late: true`; the
   * interval join joins it with the records still buffered. Counted `late_included`.
   */
  | 'include'
  /** Drop it and count it in the stage's `late_dropped` custom metric. */
  | 'drop'
  /**
   * Throw a TributaryError with code LATE_RECORD (details: eventTime, watermark, lateByMs), so the
   * step's error policy, e.g. `pipe(stage, { onError: deadLetter(lateSink) })`, routes the record.
   */
  | 'dead-letter';

/** The checked lateness options of an event-time stage. */
export interface Lateness {
  /** How far behind the newest event a record may be and still be on time, in ms. */
  readonly allowedLatenessMs: number;
  /** What happens to the records behind the watermark. */
  readonly policy: LatePolicy;
}

/** Checks `allowedLatenessMs` (default 0) and `late` (default `'drop'`); INVALID_OPTION otherwise. */
export function latenessOf(options: {
  readonly allowedLatenessMs?: unknown;
  readonly late?: unknown;
}): Lateness {
  const allowedLatenessMs = options.allowedLatenessMs ?? 0;
  if (typeof allowedLatenessMs !== 'number' || !(allowedLatenessMs >= 0)) {
    throw invalidOption('allowedLatenessMs', 'a number >= 0', allowedLatenessMs);
  }
  const policy = options.late ?? 'drop';
  if (policy !== 'include' && policy !== 'drop' && policy !== 'dead-letter') {
    throw invalidOption('late', "'include', 'drop' or 'dead-letter'", policy);
  }
  return { allowedLatenessMs, policy };
}

/** An event time, checked to be a finite number (EVENT_TIME_INVALID otherwise). */
export function checkedEventTime(t: unknown): number {
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new TributaryError('EVENT_TIME_INVALID', `event time must be a finite number, got ${t}`, {
      details: { eventTime: String(t) },
    });
  }
  return t;
}

/**
 * The late policy applied to a record at `t` against `watermark` (whose it is, `of`, goes in the
 * error message): `'on-time'`; `'late'` to keep it (`'include'`, counted `late_included`);
 * `'dropped'` (counted `late_dropped`); under `'dead-letter'` it throws LATE_RECORD.
 */
export function lateVerdict(
  lateness: Lateness,
  t: number,
  watermark: number,
  of: string,
  ctx: Pick<StageContext, 'count'>,
): 'on-time' | 'late' | 'dropped' {
  if (!(t < watermark)) return 'on-time';
  if (lateness.policy === 'drop') {
    ctx.count('late_dropped');
    return 'dropped';
  }
  if (lateness.policy === 'dead-letter') {
    throw new TributaryError(
      'LATE_RECORD',
      `record at ${t} is ${watermark - t} ms behind its ${of}'s watermark ${watermark}`,
      { details: { eventTime: t, watermark, lateByMs: watermark - t } },
    );
  }
  ctx.count('late_included');
  return 'late';
}
