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

type NOffset = { topic: string; partition: number; offset: number };
type NPartition = { topic: string; partition: number };

/** librdkafka's error as the callback API reports it. */
export interface NError {
  message: string;
  code: number;
  isFatal?: boolean;
  isRetriable?: boolean;
  isTxnRequiresAbort?: boolean;
}

/** A message as the callback API's `consume(n)` returns it. */
export interface NMessage {
  value: Buffer | null;
  key?: Buffer | string | null;
  topic: string;
  partition: number;
  offset: number;
  timestamp?: number;
  headers?: Record<string, Buffer | string>[];
}

/** The callback API's client events this package listens to. */
interface NClient {
  connect(options: Config, cb: (err: NError | null) => void): void;
  disconnect(cb: (err?: unknown) => void): void;
  on(event: 'event.error', listener: (err: NError) => void): void;
}

/** The callback API's (librdkafka-level) consumer. */
export interface NConsumer extends NClient {
  subscribe(topics: string[]): void;
  unsubscribe(): void;
  setDefaultConsumeTimeout(ms: number): void;
  setDefaultIsTimeoutOnlyForFirstMessage(first: boolean): void;
  consume(n: number, cb: (err: NError | null, messages: NMessage[]) => void): void;
  commitSync(offsets: NOffset[]): void;
  commitCb(offsets: NOffset[], cb: (err: NError | null) => void): void;
  seek(tp: NOffset, timeoutMs: number, cb: (err?: NError) => void): void;
  pause(tps: NPartition[]): void;
  resume(tps: NPartition[]): void;
  assign(tps: NPartition[]): void;
  unassign(): void;
  incrementalAssign(tps: NPartition[]): void;
  incrementalUnassign(tps: NPartition[]): void;
  rebalanceProtocol(): string;
  getWatermarkOffsets(topic: string, partition: number): { highOffset: number; lowOffset: number };
  /** With `enable.partition.eof`: the consumer reached a partition's end (`offset`). */
  on(event: 'partition.eof', listener: (e: NOffset) => void): void;
  on(event: 'event.error', listener: (err: NError) => void): void;
  removeListener(event: 'partition.eof', listener: (e: NOffset) => void): void;
}

/** The callback API's producer; delivery reports come as 'delivery-report' events. */
export interface NProducer extends Omit<NClient, 'on'> {
  produce(
    topic: string,
    partition: number | null,
    value: Buffer | null,
    key: Buffer | null,
    timestamp: number | null,
    opaque: unknown,
    headers: Record<string, Buffer>[] | undefined,
  ): void;
  on(event: 'event.error', listener: (err: NError) => void): void;
  on(
    event: 'delivery-report',
    listener: (err: NError | null, report: { opaque?: unknown }) => void,
  ): void;
  setPollInBackground(set: boolean): void;
  flush(timeoutMs: number, cb: (err?: NError) => void): void;
  initTransactions(timeoutMs: number, cb: (err: NError | null) => void): void;
  beginTransaction(cb: (err: NError | null) => void): void;
  sendOffsetsToTransaction(
    offsets: NOffset[],
    consumer: NConsumer,
    timeoutMs: number,
    cb: (err: NError | null) => void,
  ): void;
  commitTransaction(timeoutMs: number, cb: (err: NError | null) => void): void;
  abortTransaction(timeoutMs: number, cb: (err: NError | null) => void): void;
}

export interface ConfluentModule {
  KafkaJS: {
    Kafka: new (config: Config) => CKafka;
    ErrorCodes: { ERR__ASSIGN_PARTITIONS: number; ERR__REVOKE_PARTITIONS: number };
  };
  KafkaConsumer: new (config: Config, topicConfig: Config) => NConsumer;
  Producer: new (config: Config, topicConfig: Config) => NProducer;
}
