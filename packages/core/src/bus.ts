import type { TopicPartitionOffset } from './record.js';
import type { Bytes, Deserializer, Serializer } from './serde.js';
import type { Sink } from './sink.js';
import type { Source } from './source.js';

/** Where a consumer group without a committed offset starts reading. */
export type StartFrom =
  | 'earliest'
  | 'latest'
  | {
      /** Start at the first record at or after this time, in milliseconds since the Unix epoch. */
      readonly timestamp: number;
    };

/** Options of {@link Bus.source}. */
export interface SourceOptions<V, Raw> {
  /**
   * Topic to read, or several topics read as one stream, assigned co-partitioned: a member of
   * the group owns the same partition numbers of each (on Kafka: of topics of one partition count).
   */
  readonly topic: string | readonly string[];
  /** Consumer group: members of one group share the partitions. */
  readonly group: string;
  /** Start position when the group has no committed offset. Default 'earliest'. */
  readonly from?: StartFrom;
  /**
   * Decodes values; failures go through the pipeline's error policy with the raw bytes.
   * Without one, values are the bus's raw values (bytes or `null` on both buses).
   */
  readonly serde?: Deserializer<V, Raw>;
  /** End the source once it has read up to the end offsets seen at start (backtests, demos). */
  readonly stopAtEnd?: boolean;
  /** Most records handed over per delivery. */
  readonly maxBatchSize?: number;
}

/** Options of {@link Bus.sink}. */
export interface SinkOptions<V, Raw> {
  /** Topic to write to. */
  readonly topic: string;
  /**
   * Encodes values. Default ({@link encodeValue}), the same on both buses: bytes as they
   * are, text as UTF-8, `null` as a tombstone, anything else as JSON.
   */
  readonly serde?: Serializer<V, Raw>;
}

/** A topic to create. */
export interface TopicSpec {
  /** Name of the topic. */
  readonly topic: string;
  /** Number of partitions. Default 1 (the memory bus: its `partitions` option). */
  readonly partitions?: number;
  /** Copies of each partition on Kafka (ignored by the memory bus). Default -1, the broker's default. */
  readonly replicationFactor?: number;
  /** Topic configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  readonly config?: Readonly<Record<string, string>>;
}

/** Topic and group administration. */
export interface BusAdmin {
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Deletes the topics and their records. */
  deleteTopics(topics: readonly string[]): Promise<void>;
  /** Names of the topics on the bus. */
  listTopics(): Promise<string[]>;
  /** Number of partitions of a topic; rejects with TOPIC_NOT_FOUND. */
  partitions(topic: string): Promise<number>;
  /**
   * Per partition, where a reader starting at `at` begins: the first offset ('earliest'), the
   * end offset, i.e. the next one to be written ('latest'; end minus committed is the lag), or
   * the first record at or after a timestamp (the end offset when none is). Does not move any
   * group. Rejects with TOPIC_NOT_FOUND.
   */
  offsets(topic: string, at: StartFrom): Promise<TopicPartitionOffset[]>;
  /** Committed positions of a group on a topic (partitions without one are left out). */
  committed(group: string, topic: string): Promise<TopicPartitionOffset[]>;
  /** Moves a group's positions (replay); the group must have no active member. */
  resetOffsets(
    group: string,
    topic: string,
    to: StartFrom | readonly TopicPartitionOffset[],
  ): Promise<void>;
}

/**
 * A message bus: the embedded {@link memoryBus} or Kafka. Pipelines only see this
 * interface, so switching buses is one line.
 */
export interface Bus<Raw = Bytes> {
  /** Which bus this is: `'memory'` or `'kafka'` for the built-in ones. */
  readonly kind: string;
  /**
   * A source of raw values (bytes or `null`). A typed source needs a serde: the value
   * type comes from it, so `source<Order>({ topic, group })` without one does not compile.
   */
  source(options: SourceOptions<Raw, Raw> & { readonly serde?: undefined }): Source<Raw, Raw>;
  /** A source whose values are decoded by `options.serde` (e.g. `json(schema)` from @tributary/schema). */
  source<V>(
    options: SourceOptions<V, Raw> & { readonly serde: Deserializer<V, Raw> },
  ): Source<V, Raw>;
  /** A sink; values are encoded by `options.serde`, or by the default encoding (any value). */
  sink<V = unknown>(options: SinkOptions<V, Raw>): Sink<V>;
  /** Topic and consumer-group administration on this bus. */
  readonly admin: BusAdmin;
  /** Closes the bus's clients; sources and sinks of it stop working. */
  close(): Promise<void>;
}
