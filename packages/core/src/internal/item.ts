import type { TRecord } from '../record.js';
import type { OffsetTracker } from './offsetTracker.js';

/** A source partition as the runtime holds it while assigned. */
export interface Part {
  readonly topic: string;
  readonly partition: number;
  readonly id: string;
  readonly tracker: OffsetTracker;
  /** Items delivered and neither done nor abandoned. */
  live: number;
  revoked: boolean;
  committed: number;
  /** Offset of the first record delivered (NaN before): the position for lag until a commit. */
  start: number;
  /** Aborted on revoke, so retry waits of this partition end. */
  readonly abort: AbortController;
  readonly signal: AbortSignal;
}

/** One `deliver` call of a source. */
export interface Delivery {
  /** performance.now() at delivery. */
  readonly t0: number;
}

/** One source record in flight. */
export interface Item {
  readonly rec: TRecord<unknown>;
  readonly part: Part;
  readonly seq: number;
  /** Units of work left: one for processing, one per buffered sink output; {@link DEAD} once failed for good or abandoned. */
  pending: number;
  /** The delivery this record came in (shared, so no number is boxed per record). */
  readonly delivery: Delivery;
}

/**
 * `pending` of an item that failed for good or was abandoned: it never reaches 0, so the item
 * is never done or committed. A small integer, so the field stays a Smi on the hot path.
 */
export const DEAD = -(2 ** 30);

/** `seq` of an item made for a stage's `end` output: no source record, so never tracked or counted. */
export const END_SEQ = -1;

/** True once an item failed for good or was abandoned. */
export const isDead = (item: Item): boolean => item.pending < 0;
