import {
  keyToString,
  type PartitionState,
  type StageContext,
  TributaryError,
} from '@tributary/core';
import type { Pending, PendingPredictions } from './labelJoin.js';

/**
 * The partition's own slot in the stage's keyed state (no record key starts with a NUL and
 * this name): `{ e }`, the id of the in-memory queue built over the partition's state.
 */
const PARTITION_SLOT = '\u0000prequential:partition';

/**
 * One waiting prediction as plain JSON: id, features, prediction, probability, event time,
 * and which of the features (1) and probability (2) were a Float64Array.
 */
type Stored = [
  id: string,
  x: unknown,
  prediction: unknown,
  probability: unknown,
  t: number,
  f: number,
];

/** A key's state: its waiting predictions, in the order they came. */
interface KeyPending {
  w: Stored[];
}

/** [event time, key (keyToString form), id]: where to look for a waiting prediction. */
type Due = [number, string, string];

/**
 * The waiting predictions of one partition in event-time order, held in memory over the keyed
 * state, which is the truth: an entry whose prediction was joined (or waits again, from a later
 * time) is stale and skipped. `live` counts the predictions in the state.
 */
class PartitionQueue {
  private items: Due[] = [];
  private head = 0;
  live = 0;

  constructor(readonly epoch: string) {}

  push(due: Due): void {
    let i = this.items.length;
    while (i > this.head && this.items[i - 1]![0] > due[0]) i--;
    this.items.splice(i, 0, due);
  }

  /** The earliest entry, removed, when `test` holds for it. */
  shiftIf(test: (due: Due) => boolean): Due | undefined {
    const due = this.items[this.head];
    if (due === undefined || !test(due)) return undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return due;
  }
}

/**
 * Predictions waiting in core's keyed state: each in the slot of its record's key on its
 * record's partition, so it moves with the partition (with `kafkaStateStore`, through its
 * changelog). A late label looks in the slot of its own key on the same partition number of
 * `predictionTopic` (default: its own topic). Expiry and `maxPending` are per partition, in
 * event time: the clock is the event time of the partition's records, labels included.
 */
export class StateLabelJoin<X, P, Q> implements PendingPredictions<X, P, Q> {
  /** Queues of the partitions seen, by topic and partition; rebuilt from state when stale. */
  private readonly queues = new Map<string, PartitionQueue>();
  /**
   * The record {@link partition} last resolved for: `expire` resolves it, and the `take` or
   * `wait` of the same record reuses it rather than checking the partition's epoch again.
   */
  private at:
    | {
        ctx: StageContext;
        topic: string;
        partition: number;
        offset: number;
        isLabel: boolean;
        found: [PartitionState, PartitionQueue];
      }
    | undefined;

  constructor(
    private readonly ttlMs: number,
    private readonly maxPending: number,
    private readonly predictionTopic: string | undefined,
    private readonly name: string,
  ) {}

  /** Waiting predictions on the partitions this stage has processed records of. */
  get size(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.live;
    return n;
  }

  expire(
    ctx: StageContext,
    isLabel: boolean,
    now: number,
    expired: (id: string, entry: Pending<X, P, Q>) => void,
  ): void {
    const [ps, q] = this.partition(ctx, isLabel);
    const bound = now - this.ttlMs;
    for (;;) {
      const due = q.shiftIf((d) => d[0] < bound);
      if (due === undefined) return;
      const found = this.remove(ps, q, due[1], due[2], due[0]);
      if (found !== undefined) expired(due[2], found);
    }
  }

  take(ctx: StageContext, id: string): Pending<X, P, Q> | undefined {
    const [ps, q] = this.partition(ctx, true);
    return this.remove(ps, q, keyToString(ctx.key), id, undefined);
  }

  wait(ctx: StageContext, id: string, entry: Pending<X, P, Q>): boolean {
    const [ps, q] = this.partition(ctx, false);
    const key = keyToString(ctx.key);
    const st = readKey(ctx.state.get(), this.name) ?? { w: [] };
    const again = st.w.findIndex((e) => e[0] === id);
    // A repeated id waits again, from now.
    if (again >= 0) st.w.splice(again, 1);
    else q.live++;
    st.w.push(stored(id, entry));
    ctx.state.set(st);
    q.push([entry.t, key, id]);
    if (q.live <= this.maxPending) return false;
    for (;;) {
      const due = q.shiftIf(() => true);
      if (due === undefined) return false;
      if (this.remove(ps, q, due[1], due[2], due[0]) !== undefined) return true;
    }
  }

  /** Removes the prediction `id` of `key` (of time `t`, when given) from the state; undefined when none waits. */
  private remove(
    ps: PartitionState,
    q: PartitionQueue,
    key: string,
    id: string,
    t: number | undefined,
  ): Pending<X, P, Q> | undefined {
    const slot = ps.of(key);
    const st = readKey(slot.get(), this.name);
    if (st === undefined) return undefined;
    const i = st.w.findIndex((e) => e[0] === id && (t === undefined || e[4] === t));
    if (i < 0) return undefined;
    const [found] = st.w.splice(i, 1);
    if (st.w.length === 0) slot.delete();
    else slot.set(st);
    q.live--;
    return pending(found!);
  }

  /** The partition state the record's predictions wait in, and its queue: once per record. */
  private partition(ctx: StageContext, isLabel: boolean): [PartitionState, PartitionQueue] {
    const at = this.at;
    const { topic, partition, offset } = ctx;
    if (
      at !== undefined &&
      at.ctx === ctx &&
      at.offset === offset &&
      at.partition === partition &&
      at.topic === topic &&
      at.isLabel === isLabel
    ) {
      return at.found;
    }
    const found = this.resolve(ctx, isLabel);
    this.at = { ctx, topic, partition, offset, isLabel, found };
    return found;
  }

  /** The partition state the record's predictions wait in, and its queue (rebuilt when stale). */
  private resolve(ctx: StageContext, isLabel: boolean): [PartitionState, PartitionQueue] {
    const topic = isLabel ? (this.predictionTopic ?? ctx.topic) : ctx.topic;
    const ps = topic === ctx.topic ? ctx.partitionState : ctx.partitionStateOn?.(topic);
    if (ps === undefined) {
      throw new TributaryError(
        'INVALID_PIPELINE',
        `${this.name}: pending 'state' needs a runtime context with partition state (run it in a pipeline)`,
      );
    }
    const id = `${topic}\u0000${ctx.partition}`;
    const cached = this.queues.get(id);
    // Another owner of the partition since (or a lost store) wrote another id, or none.
    if (cached !== undefined && ps.of(PARTITION_SLOT).get<{ e: string }>()?.e === cached.epoch) {
      return [ps, cached];
    }
    const q = new PartitionQueue(globalThis.crypto.randomUUID());
    const found: Due[] = [];
    for (const key of ps.keys()) {
      if (key === PARTITION_SLOT) continue;
      for (const e of readKey(ps.of(key).get(), this.name)?.w ?? []) found.push([e[4], key, e[0]]);
    }
    found.sort((a, b) => a[0] - b[0]);
    for (const due of found) q.push(due);
    q.live = found.length;
    ps.of(PARTITION_SLOT).set({ e: q.epoch });
    this.queues.set(id, q);
    return [ps, q];
  }
}

function stored<X, P, Q>(id: string, p: Pending<X, P, Q>): Stored {
  const xTyped = p.x instanceof Float64Array;
  const qTyped = p.probability instanceof Float64Array;
  return [
    id,
    xTyped ? numbers(p.x as Float64Array) : p.x,
    p.prediction,
    qTyped ? numbers(p.probability as Float64Array) : p.probability,
    p.t,
    (xTyped ? 1 : 0) | (qTyped ? 2 : 0),
  ];
}

/** A plain copy of `a` (a loop: several times faster than `Array.from` on a typed array). */
function numbers(a: Float64Array): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]!;
  return out;
}

function pending<X, P, Q>(e: Stored): Pending<X, P, Q> {
  const [, x, prediction, probability, t, f] = e;
  return {
    x: (f & 1 ? new Float64Array(x as number[]) : x) as X,
    prediction: prediction as P,
    probability: (f & 2 ? new Float64Array(probability as number[]) : probability) as Q,
    t,
  };
}

function readKey(raw: unknown, name: string): KeyPending | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as KeyPending).w)) {
    throw new TributaryError('STATE_FAILED', `${name}: keyed state has an unknown shape`, {
      details: { got: typeof raw },
    });
  }
  return raw as KeyPending;
}
