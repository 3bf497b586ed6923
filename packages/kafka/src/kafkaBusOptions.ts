import type { KafkaClientKind } from './internal/adapter.js';

/** SASL credentials. PLAIN and SCRAM send them over the connection (use TLS outside a lab). */
export interface KafkaSasl {
  /** SASL mechanism: PLAIN, or SCRAM with SHA-256 or SHA-512. */
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  /** User name; non-empty. */
  readonly username: string;
  /** Password; an option error shows it as `<hidden>`. */
  readonly password: string;
}

/**
 * TLS settings; `true` uses the system's trusted CAs. Certificates and keys are PEM text (a
 * string or a Buffer, not a file path); `cert` and `key` (client certificate) go together.
 */
export type KafkaSsl =
  | boolean
  | {
      /** The CA certificates that signed the brokers' certificates. */
      readonly ca?: string | Buffer;
      /** Client certificate, for brokers that authenticate clients by TLS; needs `key`. */
      readonly cert?: string | Buffer;
      /** Unencrypted private key of `cert`. */
      readonly key?: string | Buffer;
      /** Default true. */
      readonly rejectUnauthorized?: boolean;
    };

/** Producer tuning shared by every sink of a bus. */
export interface KafkaProducerOptions {
  /** -1 waits for all in-sync replicas (default), 1 for the leader only, 0 for nothing. */
  readonly acks?: -1 | 0 | 1;
  /** Idempotent producer (no duplicates from retries). Default true; needs acks -1. */
  readonly idempotent?: boolean;
  /**
   * How long the Confluent client waits to fill a batch, in ms. Default 5 (`profile: 'latency'`
   * 2, `'throughput'` 10). kafkajs sends at once.
   */
  readonly lingerMs?: number;
  /**
   * Codec of produced batches. Default 'none'. kafkajs has only gzip built in (the others need
   * a codec registered in its `CompressionCodecs`, else `kafkaBus` throws `INVALID_OPTION`);
   * librdkafka (the Confluent clients) has all.
   */
  readonly compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  /** Largest record batch the producer sends, in bytes. Default 1048588 (Kafka's default). */
  readonly maxMessageBytes?: number;
  /**
   * Sink writes under way at once, Confluent client only (kafkajs writes one at a time).
   * Default 4; order per partition holds, except that a batch the runtime retries after the
   * client gave up may land after later ones. 1 for strict order.
   */
  readonly writeConcurrency?: number;
}

/** Consumer tuning shared by every source of a bus. */
export interface KafkaConsumerOptions {
  /** The broker drops a member it has not heard from for this long, in ms. Default 30000. */
  readonly sessionTimeoutMs?: number;
  /** Default 3000. */
  readonly heartbeatIntervalMs?: number;
  /** Longest a handler may hold a batch (backpressure, slow stages) before the member is replaced, in ms. Default 300000. */
  readonly maxPollIntervalMs?: number;
  /** Partitions fetched and handed over at the same time. Default 16. */
  readonly concurrency?: number;
  /** Read only committed transactional records. Default true. */
  readonly readCommitted?: boolean;
  /**
   * Longest the broker holds a fetch while it has no new records, in ms. Default 500 on
   * kafkajs and 100 on the Confluent clients (`profile: 'latency'` 5, `'throughput'` 100).
   */
  readonly fetchMaxWaitMs?: number;
}

/**
 * Client defaults tuned for one goal (options set explicitly win): `'latency'` sends after a
 * 2 ms linger and fetches with short waits; `'throughput'` lingers to fill larger produce batches. Pair
 * with {@link kafkaRunProfile} for the runtime's side (sink linger, batch sizes).
 */
export type KafkaProfile = 'latency' | 'throughput';

/** Exactly-once processing for Kafka → Kafka pipelines. */
export interface KafkaExactlyOnceOptions {
  /**
   * Stable, unique per worker instance (e.g. `orders-enricher-0`): a restarted worker
   * with the same id fences its dead predecessor and aborts its open transaction.
   */
  readonly transactionalId: string;
  /** The broker aborts a transaction left open longer than this, in ms. Default 60000. */
  readonly transactionTimeoutMs?: number;
}

/** Options of {@link kafkaBus}. */
export interface KafkaBusOptions {
  /** Bootstrap brokers, e.g. `'127.0.0.1:9092'` or a list. */
  readonly brokers: string | readonly string[];
  /**
   * The Node client underneath. Default 'kafkajs'. 'confluent' (its KafkaJS-compatible API)
   * and 'confluent-native' (its librdkafka-level API: batched consume, delivery reports,
   * native transactions; the fastest) need `@confluentinc/kafka-javascript`.
   */
  readonly client?: KafkaClientKind;
  /** Defaults tuned for latency or throughput; see {@link KafkaProfile}. */
  readonly profile?: KafkaProfile;
  /** Default 'tributary'. */
  readonly clientId?: string;
  /** TLS to the brokers; see {@link KafkaSsl}. Default none (plaintext). */
  readonly ssl?: KafkaSsl;
  /** SASL authentication; see {@link KafkaSasl}. Default none. */
  readonly sasl?: KafkaSasl;
  /** Time to connect (and authenticate) to a broker, in ms. Default 10000. */
  readonly connectionTimeoutMs?: number;
  /** Default 'warn'. */
  readonly logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /** Producer tuning for every sink of this bus; see {@link KafkaProducerOptions}. */
  readonly producer?: KafkaProducerOptions;
  /** Consumer tuning for every source of this bus; see {@link KafkaConsumerOptions}. */
  readonly consumer?: KafkaConsumerOptions;
  /**
   * Consume-transform-produce in Kafka transactions: every sink of this bus writes in
   * the transaction that also commits the source offsets, and sources read committed only.
   */
  readonly exactlyOnce?: KafkaExactlyOnceOptions;
}
