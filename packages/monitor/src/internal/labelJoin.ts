import type { StageContext } from '@tributary/core';

/** A prediction waiting for its label. */
export interface Pending<X, P, Q> {
  x: X;
  prediction: P;
  probability: Q;
  /** Event time of the prediction. */
  t: number;
}

/** A waiting prediction as plain data: id, features, whether they were a Float64Array, prediction, probability, time. */
export type PendingEntry = readonly [string, unknown, boolean, unknown, unknown, number];

/**
 * Where predictions wait for labels that come later in their own records. `ctx` is the
 * record being processed: a prediction's in {@link wait}, a late label's in {@link take}, and
 * either in {@link expire}.
 */
export interface PendingPredictions<X, P, Q> {
  /** Predictions now waiting. */
  readonly size: number;
  /** Removes the predictions whose label did not come within the TTL by `now`, oldest first, handing each to `expired`. */
  expire(
    ctx: StageContext,
    isLabel: boolean,
    now: number,
    expired: (id: string, entry: Pending<X, P, Q>) => void,
  ): void;
  /** The prediction waiting for `id`, no longer waiting; undefined when none is. */
  take(ctx: StageContext, id: string): Pending<X, P, Q> | undefined;
  /** `entry` waits for the label of `id`; true when the oldest waiting prediction was dropped for room. */
  wait(ctx: StageContext, id: string, entry: Pending<X, P, Q>): boolean;
}

/**
 * Predictions waiting in stage memory: by id, in arrival order, each for `ttlMs` of event
 * time, at most `maxPending` (the oldest goes first), in the stage's snapshot.
 */
export class LabelJoin<X, P, Q> implements PendingPredictions<X, P, Q> {
  private readonly pending = new Map<string, Pending<X, P, Q>>();
  // Arrival order beside the map, oldest first from `head`: a slot whose entry is no longer the
  // one waiting under its id (taken, or waiting again from later) is stale and skipped. Walking
  // the map itself from its start would step over every entry deleted since it last rehashed
  // (a Map used as a queue keeps them as holes): ~13 µs a record with 30,000 waiting.
  private ids: string[] = [];
  private entries: Pending<X, P, Q>[] = [];
  private head = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxPending: number,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  expire(
    _ctx: StageContext,
    _isLabel: boolean,
    now: number,
    expired: (id: string, entry: Pending<X, P, Q>) => void,
  ): void {
    while (this.head < this.ids.length) {
      const id = this.ids[this.head]!;
      const p = this.entries[this.head]!;
      if (this.pending.get(id) !== p) {
        this.head++; // stale: taken, or waiting again from a later slot
        continue;
      }
      if (p.t >= now - this.ttlMs) break;
      this.pending.delete(id);
      this.head++;
      expired(id, p);
    }
    this.compact();
  }

  take(_ctx: StageContext, id: string): Pending<X, P, Q> | undefined {
    const entry = this.pending.get(id);
    if (entry !== undefined) this.pending.delete(id);
    return entry;
  }

  wait(_ctx: StageContext, id: string, entry: Pending<X, P, Q>): boolean {
    this.pending.delete(id); // a repeated id waits again, from now
    this.pending.set(id, entry);
    this.ids.push(id);
    this.entries.push(entry);
    if (this.pending.size <= this.maxPending) return false;
    // The oldest still waiting goes.
    while (this.head < this.ids.length) {
      const oldest = this.ids[this.head]!;
      const live = this.pending.get(oldest) === this.entries[this.head];
      this.head++;
      if (live) {
        this.pending.delete(oldest);
        break;
      }
    }
    this.compact();
    return true;
  }

  /** Drops the queue's consumed slots once they are most of it. */
  private compact(): void {
    if (this.head < 1024 || this.head * 2 < this.ids.length) return;
    this.ids = this.ids.slice(this.head);
    this.entries = this.entries.slice(this.head);
    this.head = 0;
  }

  snapshot(): PendingEntry[] {
    return [...this.pending].map(([id, p]) => {
      const typed = p.x instanceof Float64Array;
      return [
        id,
        typed ? Array.from(p.x as Float64Array) : structuredClone(p.x),
        typed,
        p.prediction,
        p.probability,
        p.t,
      ] as const;
    });
  }

  restore(entries: readonly PendingEntry[]): void {
    this.pending.clear();
    this.ids = [];
    this.entries = [];
    this.head = 0;
    for (const [id, x, typed, prediction, probability, t] of entries) {
      const entry: Pending<X, P, Q> = {
        x: (typed ? Float64Array.from(x as number[]) : x) as X,
        prediction: prediction as P,
        probability: probability as Q,
        t,
      };
      this.pending.delete(id);
      this.pending.set(id, entry);
      this.ids.push(id);
      this.entries.push(entry);
    }
  }
}
