import type { TopicPartition, TopicPartitionOffset } from '@tributary/core';

/**
 * The one seam between Tributary and a Kafka client library. Both adapters
 * (kafkajs and the Confluent client) implement it, so everything above it
 * (sources, sinks, transactions, admin, state) is written once.
 */
export interface ClientAdapter {
  readonly kind: KafkaClientKind;
  producer(options: ProducerSettings): AdapterProducer;
  consumer(options: ConsumerSettings): AdapterConsumer;
  admin(): AdapterAdmin;
}

/** Which Node client a bus runs on. */
export type KafkaClientKind = 'kafkajs' | 'confluent' | 'confluent-native';

/** A record to produce, already encoded. */
export interface OutMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer>;
  readonly timestamp?: number;
  readonly partition?: number;
}

/** A record as fetched, normalised across clients. */
export interface InMessage {
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer>;
  readonly timestamp: number;
}

/** Records of one partition, in offset order. */
export interface InBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly InMessage[];
  /** Highest offset the batch covered, transaction markers included, when the client knows it. */
  readonly lastOffset?: number;
  /** The partition's end offset (high watermark) as the fetch reported it, when known. */
  readonly highWatermark?: number;
}

export interface ProducerSettings {
  /** Set for a transactional (exactly-once) producer. */
  readonly transactionalId?: string;
  readonly transactionTimeoutMs?: number;
  readonly idempotent: boolean;
  /** -1 (all in-sync replicas), 0 or 1. */
  readonly acks: -1 | 0 | 1;
  readonly lingerMs: number;
  readonly compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  readonly maxMessageBytes: number;
  /** Concurrent sink writes (Confluent client). */
  readonly writeConcurrency: number;
}

export interface ConsumerSettings {
  readonly groupId: string;
  /** Where to start without a committed offset: true = earliest, false = latest. */
  readonly fromBeginning: boolean;
  readonly maxBatchSize: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** Longest gap between two polls (long handlers) before the member is considered gone. */
  readonly maxPollIntervalMs: number;
  readonly readCommitted: boolean;
  /** Partitions handled at the same time (each partition stays in order). */
  readonly concurrency: number;
  /** Longest the broker holds a fetch waiting for data, in ms; undefined: the client's default. */
  readonly fetchMaxWaitMs: number | undefined;
  /** Incremental (cooperative-sticky) rebalances where the client supports them. Default true. */
  readonly cooperative?: boolean;
  /**
   * Every member gets the same partition numbers of all subscribed topics of one partition count
   * (Kafka's range assignment, eager rebalances; wins over `cooperative`). Set for sources of
   * several topics, whose joins read partition p of one topic with partition p of the other.
   */
  readonly copartitioned?: boolean;
}

/** What a consumer calls back into; every call is awaited by the adapter. */
export interface ConsumerHandlers {
  /** One partition's records; `heartbeat` keeps the membership alive during long waits. */
  batch(batch: InBatch, heartbeat: () => Promise<void>): Promise<void>;
  assigned(partitions: readonly TopicPartition[]): Promise<void>;
  revoked(partitions: readonly TopicPartition[]): Promise<void>;
  /** The client gave up (e.g. authentication failed, broker gone past its retries). */
  crashed(error: unknown): void;
  /**
   * The member is about to rejoin its group; reported only by clients that report the
   * revocation after the rejoin (kafkajs), before they send the JoinGroup.
   */
  rebalancing?(): void;
}

export interface AdapterConsumer {
  /** Connects, subscribes and starts fetching in the background. */
  start(topics: readonly string[], handlers: ConsumerHandlers): Promise<void>;
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  seek(position: TopicPartitionOffset): void;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Leaves the group. */
  close(): Promise<void>;
  /** The client's own consumer object (for transactional offset commits). */
  readonly native: unknown;
  /**
   * True when revocations are reported only after the member rejoined (kafkajs): others
   * may already read the partitions, so open transactional work must be aborted, not committed.
   */
  readonly revokesAfterRejoin: boolean;
}

export interface AdapterProducer {
  connect(): Promise<void>;
  send(topic: string, messages: readonly OutMessage[]): Promise<void>;
  /** Starts a transaction (transactional producers only). */
  begin(): Promise<AdapterTransaction>;
  disconnect(): Promise<void>;
}

export interface AdapterTransaction {
  send(topic: string, messages: readonly OutMessage[]): Promise<void>;
  /** Adds consumed positions (next offset to read) of `consumer`'s group to the transaction. */
  sendOffsets(
    consumer: AdapterConsumer,
    groupId: string,
    offsets: readonly TopicPartitionOffset[],
  ): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Offsets `[start, end)` of a partition. */
export interface ReadRange extends TopicPartition {
  readonly start: number;
  readonly end: number;
}

/** A partition's earliest and end offsets. */
export interface PartitionWatermarks {
  readonly partition: number;
  readonly low: number;
  readonly high: number;
}

export interface NewTopic {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly config: Readonly<Record<string, string>>;
}

export interface AdapterAdmin {
  connect(): Promise<void>;
  /** Creates the topics; existing ones are left alone. */
  createTopics(topics: readonly NewTopic[]): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  listTopics(): Promise<string[]>;
  /** Partition count, or undefined when the topic does not exist. */
  partitionCount(topic: string): Promise<number | undefined>;
  watermarks(topic: string): Promise<PartitionWatermarks[]>;
  /** First offset at or after `timestamp` per partition (end offset when there is none). */
  offsetsForTimestamp(topic: string, timestamp: number): Promise<TopicPartitionOffset[]>;
  /** Committed positions of a group; partitions without one are left out. */
  committed(groupId: string, topic: string): Promise<TopicPartitionOffset[]>;
  /** Sets a group's positions; the group must have no active member. */
  setOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /**
   * Per range (keyed by `tpKey`), one past the last record a reader of that isolation level is
   * handed in it, or `start` when none: an end offset also counts transaction markers and
   * aborted records. Only clients whose batches do not report offsets past their last record
   * (the Confluent engines) have it; kafkajs reports batches of markers as empty batches.
   */
  recordEnds?(ranges: readonly ReadRange[], readCommitted: boolean): Promise<Map<string, number>>;
  disconnect(): Promise<void>;
}
