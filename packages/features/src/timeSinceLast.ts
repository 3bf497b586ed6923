import {
  invalidOption,
  type StageContext,
  type StageObject,
  TributaryError,
} from '@tributary/core';

/** Output of {@link timeSinceLast}. */
export interface SinceLast<I> {
  /** The stage input, unchanged. */
  readonly value: I;
  /** Event time minus the key's latest earlier event time; `null` for the key's first record. */
  readonly sinceLastMs: number | null;
}

/** Options of {@link timeSinceLast}. */
export interface TimeSinceLastOptions<I> {
  /** Step name in metrics, logs and dead-letter headers. Default `'timeSinceLast'`. */
  readonly name?: string;
  /** Event time in ms. Default: the record timestamp. */
  readonly eventTime?: (value: I, ctx: StageContext) => number;
}

/**
 * Time since the key's previous event (e.g. seconds since a card's last purchase), in event time.
 * Keeps only the key's newest event time, in keyed state; an out-of-order record gets a negative
 * value and does not move it back.
 */
export function timeSinceLast<I>(
  options: TimeSinceLastOptions<I> = {},
): StageObject<I, SinceLast<I>> {
  const eventTime = options.eventTime ?? ((_v: I, ctx: StageContext) => ctx.timestamp);
  if (typeof eventTime !== 'function') throw invalidOption('eventTime', 'a function', eventTime);
  return {
    name: options.name ?? 'timeSinceLast',
    retry: { retries: 0 },
    process(value, ctx) {
      const t = eventTime(value, ctx);
      if (typeof t !== 'number' || !Number.isFinite(t)) {
        throw new TributaryError(
          'EVENT_TIME_INVALID',
          `event time must be a finite number, got ${t}`,
          {
            details: { eventTime: String(t) },
          },
        );
      }
      const prev = ctx.state.get<number>();
      const last = typeof prev === 'number' ? prev : null;
      if (last === null || t > last) ctx.state.set(t);
      return { value, sinceLastMs: last === null ? null : t - last };
    },
  };
}
