import { randomUUID } from 'node:crypto';
import type { PartitionState } from '@tributary/core';
import { Heap } from 'heap-js';

/**
 * The partition's own slot in a stage's keyed state: not a record key (records' keys never
 * start with a NUL and this name). Holds {@link Slot}.
 */
export const PARTITION_SLOT = '\u0000windowedAggregates:partition';

/**
 * Plain JSON in the partition slot: the max event time as of the last window close (the keys'
 * state holds any newer one), and the id of the timers over it.
 */
interface Slot {
  m: number | null;
  e: string;
}

type Timer = [close: number, key: string];

const byCloseThenKey = (a: Timer, b: Timer) =>
  a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/**
 * Event-time timers of one partition: for each key with open windows, when the earliest one
 * closes. The queue is in memory; the keyed state is the truth, and the timers are rebuilt
 * from it whenever they might not match it (see {@link partitionTimers}).
 */
export class PartitionTimers {
  private readonly heap = new Heap<Timer>(byCloseThenKey);
  /** key → close of its live timer; heap entries that disagree are stale and skipped. */
  private readonly next = new Map<string, number>();

  constructor(
    /** Max event time seen on the partition (saved to the slot when windows close). */
    public max: number | null,
    /** Written to the partition slot: another owner's writes change it. */
    readonly epoch: string,
  ) {}

  /** Sets `key`'s timer to `close` (none when `undefined`). */
  schedule(key: string, close: number | undefined): void {
    if (this.next.get(key) === close) return;
    if (close === undefined) {
      this.next.delete(key);
      return;
    }
    this.next.set(key, close);
    this.heap.push([close, key]);
    // Sessions move their close on every record: drop stale entries before they pile up.
    if (this.heap.size() > 2 * this.next.size + 1024) {
      this.heap.init([...this.next].map(([k, c]): Timer => [c, k]));
    }
  }

  /** Removes and returns the keys whose timer is at or before `mark`, earliest first. */
  due(mark: number): string[] {
    const keys: string[] = [];
    for (let top = this.heap.peek(); top !== undefined && top[0] <= mark; top = this.heap.peek()) {
      this.heap.pop();
      if (this.next.get(top[1]) !== top[0]) continue;
      this.next.delete(top[1]);
      keys.push(top[1]);
    }
    return keys;
  }

  /** Keys with a timer, earliest first. */
  keys(): string[] {
    return [...this.next]
      .map(([k, c]): Timer => [c, k])
      .sort(byCloseThenKey)
      .map((t) => t[1]);
  }

  /** Writes the max event time and epoch to the partition slot. */
  save(ps: PartitionState): void {
    const slot: Slot = { m: this.max, e: this.epoch };
    ps.of(PARTITION_SLOT).set(slot);
  }
}

/**
 * The timers of `ps`'s partition from `cache`, rebuilt from the keyed state when they may be
 * stale: none yet (a restart, a restored snapshot or changelog), or the slot's epoch is not
 * theirs (the partition was away and another member, or a lost memory store, changed it).
 * `closeOf` reads a key's state (undefined for none) and says when its earliest window closes
 * and its max event time.
 */
export function partitionTimers(
  cache: Map<string, PartitionTimers>,
  id: string,
  ps: PartitionState,
  closeOf: (raw: unknown) => { close: number | undefined; max: number | null },
): PartitionTimers {
  const slot = ps.of(PARTITION_SLOT).get<Slot>();
  const cached = cache.get(id);
  if (cached !== undefined && slot !== undefined && slot.e === cached.epoch) return cached;
  let max = slot?.m ?? null;
  const found: [string, number][] = [];
  for (const key of ps.keys()) {
    if (key === PARTITION_SLOT) continue;
    const k = closeOf(ps.of(key).get());
    if (k.close !== undefined) found.push([key, k.close]);
    // The slot is saved when windows close; newer events are in open windows of some key.
    if (k.max !== null) max = max === null ? k.max : Math.max(max, k.max);
  }
  const timers = new PartitionTimers(max, randomUUID());
  for (const [key, close] of found) timers.schedule(key, close);
  timers.save(ps);
  cache.set(id, timers);
  return timers;
}
