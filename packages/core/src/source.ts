import type { TopicPartition, TopicPartitionOffset, TRecord } from './record.js';

/**
 * What the runtime gives a source when it starts. The source pushes records and
 * rebalance events through it and must await each call: that is how backpressure
 * and revoke-then-commit reach the consumer.
 */
export interface SourceListener<Raw = unknown> {
  /**
   * Hands over records of one partition, in offset order. Resolves once the runtime
   * has room for them; a source must not deliver more of that partition before then.
   */
  deliver(records: readonly TRecord<Raw>[]): Promise<void>;
  /** Partitions were assigned to this member. Resolves once their state is restored. */
  assigned(partitions: readonly TopicPartition[]): Promise<void>;
  /**
   * Partitions are being taken away. Resolves after in-flight records of them have
   * settled and their finished offsets were committed; unfinished ones are not committed.
   */
  revoked(partitions: readonly TopicPartition[]): Promise<void>;
  /** A bounded source (e.g. `stopAtEnd`) delivered its last record: the runtime drains and stops. */
  ended(): void;
  /**
   * Optional: every partition was read to the end offsets it had when the source started
   * (transaction markers past a partition's last record count as read); called once, and
   * before `ended` with `stopAtEnd`. Lets a reader that goes on (a global table) know that it
   * caught up.
   */
  caughtUp?(): void;
  /** A fatal source error: the runtime stops the pipeline with it. */
  failed(error: unknown): void;
}

/** A running source, as the runtime controls it. */
export interface SourceSession {
  /**
   * Commits positions (next offset to read), e.g. to the consumer group. A source that may
   * commit fewer than asked (an exactly-once source waits until every delivered record is
   * done) resolves with the positions it did commit; the runtime offers the rest again.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a source that commits everything returns nothing
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void | readonly TopicPartitionOffset[]>;
  /** Stops fetching from these partitions until `resume`. */
  pause(partitions: readonly TopicPartition[]): void;
  /** Starts fetching again from partitions paused by `pause`. */
  resume(partitions: readonly TopicPartition[]): void;
  /**
   * Log end offsets (next offset to be written) of assigned partitions as last seen, for
   * consumer lag; partitions whose end is not known yet are left out. Optional.
   */
  endOffsets?(): readonly TopicPartitionOffset[];
  /** Leaves the group and releases the consumer. Records not yet delivered are not lost: they were never committed. */
  close(): Promise<void>;
}

/**
 * A source of records: a topic in a consumer group on some bus. `Raw` is what the
 * source reads (bytes on Kafka); `decode` turns it into `V` and runs as the pipeline's
 * first step, under its error policy, so undecodable records are dead-lettered too.
 */
export interface Source<V = unknown, Raw = unknown> {
  /** Name in logs and errors, and the run's default name (e.g. `kafka:orders`). */
  readonly name: string;
  /** Joins the group and starts delivering to `listener`; resolves with the session. */
  start(listener: SourceListener<Raw>): Promise<SourceSession>;
  /** Turns a raw value into `V`; runs as the pipeline's first step, under its error policy. */
  decode?: ((raw: Raw, record: TRecord<Raw>) => V | Promise<V>) | undefined;
}
