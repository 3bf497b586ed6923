import type { Logger } from '../logger.js';
import { keyToString, type TRecord } from '../record.js';
import type { StateStore } from '../state.js';
import type { Backpressure } from './backpressure.js';
import type { Completion } from './completion.js';
import type { Delivery, Item, Part } from './item.js';
import type { Partitions } from './partitions.js';
import { RecordContext } from './recordContext.js';
import type { Flow, StepRunner } from './stepRunner.js';

/** A queue of items processed one at a time: a partition, or a key with `ordering: 'key'`. */
interface Lane {
  readonly id: string;
  readonly part: Part;
  queue: Item[];
  head: number;
  running: boolean;
  ready: boolean;
  readonly ctx: RecordContext;
}

/** What the lanes need around them. */
export interface LanesHost {
  readonly ordering: 'partition' | 'key';
  readonly concurrency: number;
  readonly state: StateStore;
  readonly logger: Logger;
  readonly partitions: Partitions;
  readonly backpressure: Backpressure;
  readonly runner: StepRunner;
  readonly completion: Completion;
  fatal(error: unknown): void;
}

const RESOLVED = Promise.resolve();

/**
 * Takes the source's deliveries into lanes and runs them, at most `concurrency` lanes at a
 * time, each in order: synchronously while stages are, awaiting when one is not.
 */
export class Lanes {
  /** Records delivered (the run's `recordsIn`). */
  recordsIn = 0;
  /** Records whose processing began: the `in` of the first step. */
  begun = 0;
  /** No more deliveries are taken (stopping). */
  closed = false;
  /** A fatal error: lanes stop taking their next record. */
  halted = false;
  private readonly lanes = new Map<string, Lane>();
  private readonly readyLanes: Lane[] = [];
  private active = 0;

  constructor(private readonly host: LanesHost) {}

  /** A source delivery (one partition's records, in order); resolves when there is room for more. */
  deliver(records: readonly TRecord<unknown>[]): Promise<void> {
    if (this.closed || records.length === 0) return RESOLVED;
    const { partitions, backpressure } = this.host;
    const first = records[0] as TRecord<unknown>;
    const part = partitions.of(first);
    if (part.revoked) return RESOLVED;
    if (Number.isNaN(part.start)) part.start = first.offset;
    const delivery: Delivery = { t0: performance.now() };
    const n = records.length;
    if (this.host.ordering === 'key') {
      for (let i = 0; i < n; i++) {
        const rec = records[i] as TRecord<unknown>;
        const item: Item = { rec, part, seq: part.tracker.add(rec.offset), pending: 1, delivery };
        part.live++;
        backpressure.inFlight++;
        this.recordsIn++;
        const lane = this.lane(part, `${part.id}\u0000${keyToString(rec.key)}`);
        lane.queue.push(item);
        this.schedule(lane);
      }
    } else {
      // Counted up front: nothing runs until the lane is scheduled below.
      part.live += n;
      backpressure.inFlight += n;
      this.recordsIn += n;
      const lane = this.lane(part, part.id);
      let queue = lane.queue;
      let at = queue.length;
      if (lane.head === at) {
        // An idle lane gets a queue sized for the delivery, so filling it never copies.
        queue = new Array(n);
        lane.queue = queue;
        lane.head = 0;
        at = 0;
      }
      // Index loops, not for-of: per-record iterator objects are not always optimised away.
      for (let i = 0; i < n; i++) {
        const rec = records[i] as TRecord<unknown>;
        queue[at + i] = { rec, part, seq: part.tracker.add(rec.offset), pending: 1, delivery };
      }
      this.schedule(lane);
    }
    return backpressure.room();
  }

  /** `part` is revoked: its records not started yet are abandoned (never done, never committed). */
  abandonQueued(part: Part): void {
    for (const lane of this.lanes.values()) {
      if (lane.part !== part) continue;
      for (let i = lane.head; i < lane.queue.length; i++) {
        this.host.completion.abandon(lane.queue[i] as Item);
      }
      lane.queue.length = lane.head;
    }
  }

  /** Drops the lanes of a partition that is gone. */
  forget(part: Part): void {
    for (const [id, lane] of this.lanes) if (lane.part === part) this.lanes.delete(id);
  }

  private lane(part: Part, id: string): Lane {
    let lane = this.lanes.get(id);
    if (lane === undefined) {
      lane = {
        id,
        part,
        queue: [],
        head: 0,
        running: false,
        ready: false,
        ctx: new RecordContext(this.host.state, this.host.logger, part.signal),
      };
      this.lanes.set(id, lane);
    }
    return lane;
  }

  private schedule(lane: Lane): void {
    if (lane.running || lane.ready) return;
    if (this.active < this.host.concurrency) {
      this.active++;
      lane.running = true;
      this.drain(lane);
    } else {
      lane.ready = true;
      this.readyLanes.push(lane);
    }
  }

  /** Runs a lane's records in order: synchronously while stages are, awaiting when one is not. */
  private drain(lane: Lane): void {
    const { runner, completion } = this.host;
    // The compiled chain is the fast path; runFrom is the same walk where codegen is off.
    const chain = runner.chain;
    const ctx = lane.ctx;
    while (lane.head < lane.queue.length) {
      if (this.halted) break;
      const item = lane.queue[lane.head++] as Item;
      ctx.item = item;
      ctx.meta = undefined;
      this.begun++;
      const flow =
        chain === undefined
          ? runner.runFrom(0, item.rec.value, ctx)
          : (chain(item.rec.value, ctx) as Flow);
      if (flow !== undefined) {
        flow.then(
          () => {
            completion.release(item);
            this.drain(lane);
          },
          (error) => this.host.fatal(error),
        );
        return;
      }
      completion.release(item);
    }
    lane.queue = [];
    lane.head = 0;
    lane.running = false;
    this.active--;
    // A key's lane goes once drained (its queue was just emptied above).
    if (this.host.ordering === 'key') this.lanes.delete(lane.id);
    const next = this.readyLanes.shift();
    if (next !== undefined) {
      next.ready = false;
      this.schedule(next);
    }
  }
}
