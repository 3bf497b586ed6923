import type { TopicPartition, TopicPartitionOffset } from '@tributary/core';
import type { AdapterConsumer, InBatch } from './adapter.js';
import { EosBarrier } from './eosBarrier.js';
import { kafkaError } from './kafkaError.js';
import { tpKey } from './partitions.js';

/**
 * Exactly-once on a client without KIP-447 fencing (kafkajs): how long a newly assigned
 * partition waits before its committed offset is read again, so that a transaction the
 * previous owner had under way when the rebalance began has landed.
 */
export const SETTLE_MS = 1000;

/** The open transaction of an exactly-once bus, as far as the guard uses it. */
export interface GuardTransactions {
  readonly open: boolean;
  commit(
    consumer: AdapterConsumer,
    group: string,
    offsets: readonly TopicPartitionOffset[],
  ): Promise<void>;
  abort(): Promise<void>;
}

/** What the guard needs around it. */
export interface RebalanceGuardHost {
  readonly consumer: AdapterConsumer;
  readonly group: string;
  /** The bus's transactions; undefined without exactly-once. */
  readonly transactions: GuardTransactions | undefined;
  /** The group's committed offset of a partition, read from the broker now. */
  committed(tp: TopicPartition): Promise<TopicPartitionOffset | undefined>;
  /** Waits `ms` while keeping the member alive. */
  wait(ms: number, heartbeat: () => Promise<void>): Promise<void>;
  /** The run cannot go on (an aborted transaction). */
  failed(error: unknown): void;
}

/**
 * A source's commits across rebalances: plain offset commits, or with exactly-once the
 * transaction commit behind the barrier (no commit while delivered records are in flight, or
 * while a rejoin is under way), and the workarounds for clients that report revocations only
 * after the rejoin (kafkajs): kept partitions are sought back to this member's own last
 * commit, and newly assigned ones re-read their committed offset once a transaction of the
 * previous owner had time to land.
 */
export class RebalanceGuard {
  private readonly eos: EosBarrier | undefined;
  // Positions this member committed. A client that reports revocations after the rejoin
  // (kafkajs) refetches committed offsets then, and a fetch may miss a transactional commit
  // whose markers are not written yet; kept partitions are sought back to what we know.
  private readonly ownCommits = new Map<string, TopicPartitionOffset>();
  private justRevoked = new Set<string>();
  // Exactly-once without KIP-447: newly assigned partitions whose committed offset is re-read.
  private readonly unsettled = new Set<string>();

  constructor(private readonly host: RebalanceGuardHost) {
    this.eos = host.transactions === undefined ? undefined : new EosBarrier();
  }

  /** The rejoin began (before the revoke that follows it, on kafkajs). */
  rebalancing(): void {
    // No transaction commits until the revoke that follows the rejoin has aborted the
    // open one (the kept partitions are then re-read from this member's last commit).
    if (this.eos !== undefined) this.eos.rejoining = true;
  }

  /** `tps` were assigned; call {@link assignedDone} once the runtime took them. */
  assigned(tps: readonly TopicPartition[]): void {
    const { consumer } = this.host;
    if (!consumer.revokesAfterRejoin) return;
    if (this.eos !== undefined) for (const tp of tps) this.unsettled.add(tpKey(tp));
    const kept = new Set(tps.map(tpKey).filter((k) => this.justRevoked.has(k)));
    for (const key of [...this.ownCommits.keys()]) if (!kept.has(key)) this.ownCommits.delete(key);
    for (const o of this.ownCommits.values()) consumer.seek(o);
    this.justRevoked = new Set();
  }

  assignedDone(): void {
    if (this.eos !== undefined) this.eos.rejoining = false;
  }

  /**
   * `tps` are revoked: `revokeInRuntime` drains them; with exactly-once the open transaction
   * is then committed (the partitions are still ours) or discarded (others may read them).
   */
  async revoked(
    tps: readonly TopicPartition[],
    revokeInRuntime: () => Promise<void>,
    closed: () => boolean,
  ): Promise<void> {
    for (const tp of tps) this.justRevoked.add(tpKey(tp));
    const { eos } = this;
    if (eos === undefined) return revokeInRuntime();
    if (!this.host.consumer.revokesAfterRejoin) {
      // Until the runtime has let go, records of these partitions still write into the open
      // transaction, so commits meanwhile (offsets read before the revoke) keep the barrier's
      // check of every delivered record; only then are they marked gone: their records not
      // done by now were abandoned before they started and wrote nothing.
      await revokeInRuntime();
      eos.revoked(tps);
      // The partitions go when this returns. Commit the open transaction with every done
      // offset now: a commit that found records in flight returned without committing,
      // and the runtime does not offer those offsets again, so outputs of these
      // partitions could otherwise stay in the transaction without their offsets (and
      // be written a second time by the next owner).
      if (!closed()) await this.commitTransaction([]);
      return;
    }
    // Others may already read these partitions from the committed offsets: discard the
    // open transaction (its records are re-read, here or there) instead of committing it.
    eos.revoked(tps);
    eos.discarding = true;
    try {
      await revokeInRuntime();
      await this.host.transactions?.abort();
    } finally {
      eos.discarded();
    }
  }

  /**
   * Before the first batch of a newly assigned partition (exactly-once on kafkajs): the
   * offsets this member was handed may predate a commit of the previous owner that was under
   * way at the rebalance (the broker cannot refuse it without KIP-447). Waits for it to land;
   * if the committed offset moved past the batch, seeks there and returns it (the batch is
   * then dropped), else undefined.
   */
  async settle(
    batch: InBatch,
    heartbeat: () => Promise<void>,
    owned: () => boolean,
  ): Promise<TopicPartitionOffset | undefined> {
    const key = tpKey(batch);
    if (!this.unsettled.has(key) || batch.messages.length === 0) return undefined;
    await this.host.wait(SETTLE_MS, heartbeat);
    this.unsettled.delete(key);
    const committed = await this.host.committed(batch);
    const first = batch.messages[0] as InBatch['messages'][number];
    if (owned() && committed !== undefined && committed.offset > first.offset) {
      this.host.consumer.seek(committed);
      return committed;
    }
    return undefined;
  }

  /** Resolves when records may be delivered (exactly-once: no commit is waiting for them). */
  open(): Promise<void> {
    return this.eos === undefined ? Promise.resolve() : this.eos.open();
  }

  /** Records of `tp` up to `end` (exclusive) were handed to the runtime. */
  delivered(tp: TopicPartition, end: number): void {
    this.eos?.delivered(tp, end);
  }

  /** Commits the runtime's done offsets; with exactly-once resolves with those committed. */
  async commit(
    offsets: readonly TopicPartitionOffset[],
  ): Promise<TopicPartitionOffset[] | undefined> {
    if (this.eos !== undefined) return this.commitTransaction(offsets);
    const { consumer, group } = this.host;
    try {
      await consumer.commit(offsets);
      for (const o of offsets) this.ownCommits.set(tpKey(o), o);
    } catch (error) {
      throw kafkaError('KAFKA_COMMIT_FAILED', `commit for group ${group} failed`, error, {
        offsets,
      });
    }
    return undefined;
  }

  /** The session closes: deliveries waiting at the barrier go (and are ignored). */
  close(): void {
    this.eos?.release();
  }

  /**
   * Exactly-once: commits the open transaction with the done offsets once every delivered
   * record is done; resolves with the offsets committed (none while records are in flight).
   */
  private async commitTransaction(
    offsets: readonly TopicPartitionOffset[],
  ): Promise<TopicPartitionOffset[]> {
    const { eos } = this;
    const { transactions, consumer, group } = this.host;
    if (eos === undefined || transactions === undefined) return [];
    if (eos.discarding || eos.rejoining) return [];
    const ready = eos.ready(offsets);
    if (ready === undefined) return []; // records in flight may already be in the transaction
    if (ready.length === 0 && !transactions.open) {
      eos.committed(); // nothing to commit; still forget revoked partitions
      return [];
    }
    try {
      await transactions.commit(consumer, group, ready);
      eos.committed();
      for (const o of ready) this.ownCommits.set(tpKey(o), o);
    } catch (error) {
      // The transaction was aborted: records marked done are gone, so this run cannot go on.
      this.host.failed(error);
      throw error;
    }
    return ready;
  }
}
