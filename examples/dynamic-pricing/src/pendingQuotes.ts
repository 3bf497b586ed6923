import { invalidOption } from '@tributary/core';

/** What {@link PendingQuotes.take} finds for an outcome. */
export type JoinResult<Q> =
  | { readonly kind: 'joined'; readonly quote: Q; readonly delayMs: number }
  /** The quote waited longer than the TTL; it was dropped (and counted) before the outcome came. */
  | { readonly kind: 'expired' }
  /** No quote with this id was ever held (or it was joined already): a duplicate or stray outcome. */
  | { readonly kind: 'unknown' };

/** Quotes waiting for their outcome, by request id, for at most a TTL in event time. */
export interface PendingQuotes<Q> {
  /** Holds a quote made at event time `time`. */
  add(id: string, time: number, quote: Q): void;
  /** Removes and returns the quote an outcome at event time `time` belongs to (expired past the TTL). */
  take(id: string, time: number): JoinResult<Q>;
  /** Drops quotes older than `now − ttl`; returns how many. */
  expire(now: number): number;
  readonly size: number;
  /** Counts so far: joined, expired (TTL), unknown outcomes. */
  readonly counts: { readonly joined: number; readonly expired: number; readonly unknown: number };
}

/**
 * The join of delayed outcomes to quotes. A quote is kept until its outcome arrives or it is
 * older than `ttlMs`; expired ids are remembered for `rememberMs` (default 4 TTLs) so a late
 * outcome is reported as expired, not as unknown. Insertion order is time order, so expiry only looks at the oldest.
 */
export function pendingQuotes<Q>(ttlMs: number, rememberMs = 4 * ttlMs): PendingQuotes<Q> {
  if (!(ttlMs > 0)) throw invalidOption('ttlMs', 'a number > 0', ttlMs);
  if (!(rememberMs >= 0)) throw invalidOption('rememberMs', 'a number >= 0', rememberMs);
  const held = new Map<string, { time: number; quote: Q }>();
  const expiredAt = new Map<string, number>();
  const counts = { joined: 0, expired: 0, unknown: 0 };
  const expire = (now: number): number => {
    let n = 0;
    for (const [id, e] of held) {
      if (e.time >= now - ttlMs) break;
      held.delete(id);
      expiredAt.set(id, e.time);
      n += 1;
    }
    for (const [id, t] of expiredAt) {
      if (t >= now - ttlMs - rememberMs) break;
      expiredAt.delete(id);
    }
    counts.expired += n;
    return n;
  };
  return {
    add(id, time, quote) {
      held.set(id, { time, quote });
    },
    take(id, time) {
      // No expiry here: outcomes of several partitions arrive interleaved, and one far ahead in
      // time must not expire quotes whose outcomes are still on their way; requests drive expiry.
      const e = held.get(id);
      if (e === undefined) {
        if (expiredAt.delete(id)) return { kind: 'expired' };
        counts.unknown += 1;
        return { kind: 'unknown' };
      }
      held.delete(id);
      if (time - e.time > ttlMs) {
        counts.expired += 1;
        return { kind: 'expired' };
      }
      counts.joined += 1;
      return { kind: 'joined', quote: e.quote, delayMs: time - e.time };
    },
    expire,
    get size() {
      return held.size;
    },
    counts,
  };
}
