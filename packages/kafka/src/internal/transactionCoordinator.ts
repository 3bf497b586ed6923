import type { TopicPartitionOffset } from '@tributary/core';
import type {
  AdapterConsumer,
  AdapterProducer,
  AdapterTransaction,
  OutMessage,
} from './adapter.js';
import { kafkaError } from './kafkaError.js';

/**
 * The one open transaction of an exactly-once bus. Writes join it (starting one when
 * none is open); `commit` adds the source offsets and commits, after the writes in
 * flight have landed. A failed write dooms the transaction: the next commit aborts and
 * throws, so those records are neither visible nor marked done.
 */
export class TransactionCoordinator {
  private txn: Promise<AdapterTransaction> | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private committing: Promise<void> | undefined;
  private doomed: unknown;

  constructor(private readonly producer: () => Promise<AdapterProducer>) {}

  /** True while a transaction is open (something was written since the last commit or abort). */
  get open(): boolean {
    return this.txn !== undefined;
  }

  private current(): Promise<AdapterTransaction> {
    this.txn ??= this.producer().then((p) => p.begin());
    return this.txn;
  }

  async write(topic: string, messages: readonly OutMessage[]): Promise<void> {
    while (this.committing !== undefined) await this.committing.catch(() => undefined);
    const send = this.current().then((txn) => txn.send(topic, messages));
    this.inFlight.add(send);
    try {
      await send;
    } catch (error) {
      this.doomed ??= error;
      throw kafkaError('KAFKA_DELIVERY_FAILED', `transactional write to ${topic} failed`, error, {
        topic,
        records: messages.length,
      });
    } finally {
      this.inFlight.delete(send);
    }
  }

  /** Commits the open transaction together with `offsets` of `consumer`'s group. */
  async commit(
    consumer: AdapterConsumer,
    groupId: string,
    offsets: readonly TopicPartitionOffset[],
  ): Promise<void> {
    while (this.committing !== undefined) await this.committing.catch(() => undefined);
    this.committing = (async () => {
      await Promise.allSettled([...this.inFlight]);
      if (this.doomed !== undefined) {
        const cause = this.doomed;
        await this.abort();
        throw kafkaError(
          'KAFKA_TRANSACTION_FAILED',
          'a write of the transaction failed; it was aborted',
          cause,
        );
      }
      const txn = await this.current();
      try {
        if (offsets.length > 0) await txn.sendOffsets(consumer, groupId, offsets);
        await txn.commit();
        this.txn = undefined;
      } catch (error) {
        await this.abort();
        throw kafkaError(
          'KAFKA_TRANSACTION_FAILED',
          'transaction commit failed; it was aborted',
          error,
          {
            offsets,
          },
        );
      }
    })();
    try {
      await this.committing;
    } finally {
      this.committing = undefined;
    }
  }

  /** Aborts the open transaction, if any: its records are never seen by read_committed consumers. */
  async abort(): Promise<void> {
    const txn = this.txn;
    this.txn = undefined;
    this.doomed = undefined;
    if (txn === undefined) return;
    try {
      await (await txn).abort();
    } catch {
      // A fenced or failed producer's transaction is aborted by the broker.
    }
  }

  /** On close, work not committed is aborted (its offsets were never committed either). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.abort();
  }
}
