import type { TopicPartition } from '@tributary/core';
import { tpKey } from './partitions.js';

/** What a {@link FetchBuffer} drives. */
export interface FetchBufferHost<M> {
  /** Hands one partition's queued records over; the next batch of it waits for this. */
  deliver(tp: TopicPartition, messages: M[]): Promise<void>;
  /** The partition's queue is full: stop fetching it. */
  stopFetching(tp: TopicPartition): void;
  /** The partition's queue drained: fetch it again. */
  startFetching(tp: TopicPartition): void;
}

interface Lane<M> {
  readonly tp: TopicPartition;
  queue: M[];
  running: boolean;
  stopped: boolean;
}

/**
 * Fetched records queued per partition, each partition handed over by its own worker, so one
 * partition that a single fetch filled (or whose records are slow) never holds the others
 * back. A partition whose queue passes `high` records stops fetching until it drains below
 * `low`.
 */
export class FetchBuffer<M> {
  private readonly lanes = new Map<string, Lane<M>>();
  private total = 0;
  private closed = false;

  constructor(
    private readonly host: FetchBufferHost<M>,
    private readonly high: number,
    private readonly low: number,
  ) {}

  /** Records queued in all partitions. */
  get size(): number {
    return this.total;
  }

  /** Queues `messages` (in fetch order) of partition `tp` and starts its worker if idle. */
  add(tp: TopicPartition, messages: M[]): void {
    if (this.closed || messages.length === 0) return;
    const key = tpKey(tp);
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = {
        tp: { topic: tp.topic, partition: tp.partition },
        queue: [],
        running: false,
        stopped: false,
      };
      this.lanes.set(key, lane);
    }
    for (const m of messages) lane.queue.push(m);
    this.total += messages.length;
    if (!lane.stopped && lane.queue.length >= this.high) {
      lane.stopped = true;
      this.host.stopFetching(lane.tp);
    }
    if (!lane.running) void this.work(lane);
  }

  /** Forgets the queued records of `tps` (revoked: never handed over, so never committed). */
  drop(tps: readonly TopicPartition[]): void {
    for (const tp of tps) {
      const lane = this.lanes.get(tpKey(tp));
      if (lane === undefined) continue;
      this.total -= lane.queue.length;
      lane.queue = [];
      this.lanes.delete(tpKey(tp));
    }
  }

  /** Stops handing over; queued records are dropped. */
  close(): void {
    this.closed = true;
    this.drop([...this.lanes.values()].map((l) => l.tp));
  }

  private async work(lane: Lane<M>): Promise<void> {
    lane.running = true;
    try {
      while (!this.closed && lane.queue.length > 0 && this.lanes.get(tpKey(lane.tp)) === lane) {
        const batch = lane.queue;
        lane.queue = [];
        this.total -= batch.length;
        if (lane.stopped && lane.queue.length < this.low) {
          lane.stopped = false;
          this.host.startFetching(lane.tp);
        }
        await this.host.deliver(lane.tp, batch);
      }
    } finally {
      lane.running = false;
    }
  }
}
