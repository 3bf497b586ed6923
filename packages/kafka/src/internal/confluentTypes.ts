/**
 * The slice of @confluentinc/kafka-javascript this package uses, typed here so the
 * package builds and type-checks without the optional client installed.
 */
type Config = Record<string, unknown>;
type Offsets = { topic: string; partitions: { partition: number; offset: string }[] }[];

interface CBatchMessage {
  offset: string;
  key: Buffer | null | undefined;
  value: Buffer | null | undefined;
  headers?: Record<string, unknown>;
  timestamp: string;
}

export interface CConsumer {
  connect(): Promise<void>;
  subscribe(s: { topics: string[] }): Promise<void>;
  run(config: {
    eachBatchAutoResolve?: boolean;
    partitionsConsumedConcurrently?: number;
    eachBatch(payload: {
      batch: {
        topic: string;
        partition: number;
        messages: CBatchMessage[];
        /** '-1001' when the client does not know it yet. */
        highWatermark?: string;
      };
      heartbeat(): Promise<void>;
      isRunning(): boolean;
      isStale(): boolean;
    }): Promise<void>;
  }): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  seek(o: { topic: string; partition: number; offset: string }): void;
  pause(tps: { topic: string; partitions: number[] }[]): void;
  resume(tps: { topic: string; partitions: number[] }[]): void;
  disconnect(): Promise<void>;
}

export interface CProducer {
  connect(): Promise<void>;
  send(record: { topic: string; messages: unknown[] }): Promise<unknown>;
  transaction(): Promise<CProducer>;
  sendOffsets(args: { consumer: unknown; topics: Offsets }): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  disconnect(): Promise<void>;
}

export interface CAdmin {
  connect(): Promise<void>;
  createTopics(o: {
    topics: {
      topic: string;
      numPartitions: number;
      replicationFactor: number;
      configEntries: { name: string; value: string }[];
    }[];
  }): Promise<boolean>;
  deleteTopics(o: { topics: string[] }): Promise<void>;
  listTopics(): Promise<string[]>;
  fetchTopicMetadata(o: { topics: string[] }): Promise<{ partitions: unknown[] }[]>;
  fetchTopicOffsets(
    topic: string,
  ): Promise<{ partition: number; offset: string; high: string; low: string }[]>;
  fetchTopicOffsetsByTimestamp(
    topic: string,
    timestamp: number,
  ): Promise<{ partition: number; offset: string }[]>;
  fetchOffsets(o: {
    groupId: string;
    topics: string[];
  }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
  disconnect(): Promise<void>;
}

export interface CKafka {
  producer(config: Config): CProducer;
  consumer(config: Config): CConsumer;
  admin(config: Config): CAdmin;
}

/** The callback-API consumer, used only to commit offsets for a group with no members. */
interface CLowLevelConsumer {
  connect(options: Config, cb: (err: unknown) => void): void;
  commitSync(offsets: { topic: string; partition: number; offset: number }[]): void;
  disconnect(cb: () => void): void;
}

export interface ConfluentModule {
  KafkaJS: {
    Kafka: new (config: Config) => CKafka;
    ErrorCodes: { ERR__ASSIGN_PARTITIONS: number; ERR__REVOKE_PARTITIONS: number };
  };
  KafkaConsumer: new (config: Config, topicConfig: Config) => CLowLevelConsumer;
}
