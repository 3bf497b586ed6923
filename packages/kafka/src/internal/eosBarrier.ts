import type { TopicPartition, TopicPartitionOffset } from '@tributary/core';
import { tpKey } from './partitions.js';

/**
 * Exactly-once bookkeeping: a transaction may only commit when every record delivered
 * so far is done (its outputs are in the transaction and its offset is in the commit).
 * Until then commits are collected and new deliveries wait, so the next commit is whole.
 */
export class EosBarrier {
  private readonly deliveredEnd = new Map<string, number>();
  /** Done positions the runtime reported (the highest per partition). */
  private readonly done = new Map<string, TopicPartitionOffset>();
  private readonly lastCommitted = new Map<string, number>();
  private readonly gone = new Set<string>();
  private closedGate: { promise: Promise<void>; release: () => void } | undefined;
  /** Set while revoked work is being thrown away; commits are ignored meanwhile. */
  discarding = false;
  /**
   * Set from the start of a rejoin until the new assignment is handled (clients that report
   * revocations after the rejoin): a transaction committed meanwhile could land after a new
   * owner read the committed offsets, and its records would be processed twice.
   */
  rejoining = false;

  delivered(tp: TopicPartition, end: number): void {
    this.deliveredEnd.set(tpKey(tp), end);
  }

  revoked(tps: readonly TopicPartition[]): void {
    // Records of revoked partitions that are not done were abandoned: they wrote nothing.
    for (const tp of tps) this.gone.add(tpKey(tp));
  }

  /** The offsets to commit now, or undefined while records beyond them are still in flight. */
  ready(offsets: readonly TopicPartitionOffset[]): TopicPartitionOffset[] | undefined {
    for (const o of offsets) {
      const prev = this.done.get(tpKey(o));
      if (prev === undefined || prev.offset < o.offset) this.done.set(tpKey(o), o);
    }
    for (const [key, end] of this.deliveredEnd) {
      const at = this.done.get(key)?.offset ?? Number.NEGATIVE_INFINITY;
      if (at < end && !this.gone.has(key)) {
        this.closedGate ??= gate();
        return undefined;
      }
    }
    return [...this.done.entries()]
      .filter(([key, o]) => (this.lastCommitted.get(key) ?? -1) < o.offset)
      .map(([, o]) => o);
  }

  committed(): void {
    for (const [key, o] of this.done) this.lastCommitted.set(key, o.offset);
    this.forgetGone();
  }

  /** The open transaction was aborted: nothing of the revoked partitions is pending any more. */
  discarded(): void {
    this.discarding = false;
    this.forgetGone();
  }

  private forgetGone(): void {
    for (const key of this.gone) {
      this.deliveredEnd.delete(key);
      this.done.delete(key);
      this.lastCommitted.delete(key);
    }
    this.gone.clear();
    this.release();
  }

  /** Resolves when new records may be delivered. */
  open(): Promise<void> {
    return this.closedGate?.promise ?? Promise.resolve();
  }

  release(): void {
    const g = this.closedGate;
    this.closedGate = undefined;
    g?.release();
  }
}

function gate(): { promise: Promise<void>; release: () => void } {
  let release = () => {};
  const promise = new Promise<void>((r) => {
    release = r;
  });
  return { promise, release };
}
