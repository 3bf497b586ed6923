import type { Backpressure } from './backpressure.js';
import { Histogram } from './histogram.js';
import { DEAD, type Delivery, END_SEQ, type Item, isDead } from './item.js';

const RESOLVED = Promise.resolve();

/**
 * When a record is done: each item holds units of work (its processing, each buffered sink
 * output); the last one released completes its offset, frees its in-flight room and counts
 * its latency. Also where the runtime waits for records to settle.
 */
export class Completion {
  recordsDone = 0;
  readonly latency = new Histogram();
  private waiters: { test: () => boolean; resolve: () => void }[] = [];

  constructor(private readonly backpressure: Backpressure) {}

  /** Releases one unit of `item`'s work; the record is done when none is left. */
  release(item: Item): void {
    if (!this.settle(item)) return;
    this.latency.observe(performance.now() - item.delivery.t0);
    this.completed(1);
  }

  /** Releases one unit of each item of a written batch; counters and latency move once per run of items. */
  releaseAll(items: readonly Item[], now: number): void {
    let done = 0;
    let delivery: Delivery | undefined;
    let same = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Item;
      if (!this.settle(item)) continue;
      done++;
      // Items of one delivery share t0: observe them in one call.
      if (item.delivery === delivery) same++;
      else {
        if (delivery !== undefined) this.latency.observe(now - delivery.t0, same);
        delivery = item.delivery;
        same = 1;
      }
    }
    if (done === 0) return;
    if (delivery !== undefined) this.latency.observe(now - delivery.t0, same);
    this.completed(done);
  }

  /** Gives up on `item`: never done, so never committed. */
  abandon(item: Item): void {
    if (isDead(item)) return;
    item.pending = DEAD;
    item.part.live--;
    if (item.seq !== END_SEQ) this.backpressure.inFlight--;
    this.notify();
  }

  /** Resolves once `test()` holds, checked whenever records settle (and on {@link notify}). */
  waitFor(test: () => boolean): Promise<void> {
    if (test()) return RESOLVED;
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Re-checks the waiters: something they test may have changed. */
  notify(): void {
    if (this.waiters.length === 0) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      if (w.test()) w.resolve();
      else this.waiters.push(w);
    }
  }

  /** `n` records are done: frees their in-flight room and wakes whoever waits on it. */
  private completed(n: number): void {
    this.recordsDone += n;
    this.backpressure.free(n);
    this.notify();
  }

  /**
   * Releases one unit of `item`'s work; true when that completed a record (its offset now
   * complete). An `end` output is not a record, so neither committed nor counted: false.
   */
  private settle(item: Item): boolean {
    if (--item.pending !== 0) return false;
    if (item.seq === END_SEQ) {
      item.part.live--;
      this.notify();
      return false;
    }
    item.part.tracker.complete(item.seq);
    item.part.live--;
    return true;
  }
}
