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
 * Fetched records queued per partition, each partition handed over by its own worker (at most
 * `chunk` records at a time), so one partition that a single fetch filled (or whose records are
 * slow) never holds the others back. A partition whose queue passes `high` records stops
 * fetching until it drains below `low`; a fetch loop that takes no more than {@link room}
 * records never makes one pass it, and waits for a hand-over ({@link handedOver}) instead.
 */
export class FetchBuffer<M> {
  private readonly lanes = new Map<string, Lane<M>>();
  private total = 0;
  private closed = false;
  private wakers: (() => void)[] = [];

  constructor(
    private readonly host: FetchBufferHost<M>,
    private readonly high: number,
    private readonly low: number,
    private readonly chunk = Number.POSITIVE_INFINITY,
  ) {}

  /** Records queued in all partitions. */
  get size(): number {
    return this.total;
  }

  /**
   * How many records one more fetch may add without any partition that still fetches passing
   * `high` (0 when one is full).
   */
  room(): number {
    let largest = 0;
    for (const lane of this.lanes.values()) {
      if (!lane.stopped && lane.queue.length > largest) largest = lane.queue.length;
    }
    return Math.max(0, this.high - largest);
  }

  /**
   * Resolves true at the next hand-over or drop (the room may have grown), false after `ms`
   * without one.
   */
  handedOver(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakers = this.wakers.filter((w) => w !== wake);
        resolve(false);
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.wakers.push(wake);
    });
  }

  /** Stops fetching the partitions whose queue is full (`high`); their records keep their turn. */
  stopFull(): void {
    for (const lane of this.lanes.values()) {
      if (!lane.stopped && lane.queue.length >= this.high) {
        lane.stopped = true;
        this.host.stopFetching(lane.tp);
      }
    }
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
    if (!lane.stopped && lane.queue.length > this.high) {
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
    this.wake();
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
        const whole = lane.queue.length <= this.chunk;
        const batch = whole ? lane.queue : lane.queue.splice(0, this.chunk);
        if (whole) lane.queue = [];
        this.total -= batch.length;
        if (lane.stopped && lane.queue.length < this.low) {
          lane.stopped = false;
          this.host.startFetching(lane.tp);
        }
        this.wake();
        await this.host.deliver(lane.tp, batch);
      }
    } finally {
      lane.running = false;
    }
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }
}
