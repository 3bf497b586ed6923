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
    for (const [id, p] of this.pending) {
      if (p.t >= now - this.ttlMs) break;
      this.pending.delete(id);
      expired(id, p);
    }
  }

  take(_ctx: StageContext, id: string): Pending<X, P, Q> | undefined {
    const entry = this.pending.get(id);
    if (entry !== undefined) this.pending.delete(id);
    return entry;
  }

  wait(_ctx: StageContext, id: string, entry: Pending<X, P, Q>): boolean {
    this.pending.delete(id); // a repeated id waits again, from now
    this.pending.set(id, entry);
    if (this.pending.size <= this.maxPending) return false;
    this.pending.delete(this.pending.keys().next().value as string);
    return true;
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
    for (const [id, x, typed, prediction, probability, t] of entries) {
      this.pending.set(id, {
        x: (typed ? Float64Array.from(x as number[]) : x) as X,
        prediction: prediction as P,
        probability: probability as Q,
        t,
      });
    }
  }
}
