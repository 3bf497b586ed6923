import type { TopicPartition } from '@tributary/core';
import {
  type Consumer,
  Kafka,
  type KafkaConfig,
  logLevel as LogLevel,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type {
  AdapterAdmin,
  AdapterConsumer,
  AdapterProducer,
  AdapterTransaction,
  ClientAdapter,
  ConsumerHandlers,
  ConsumerSettings,
  InBatch,
  NewTopic,
  ProducerSettings,
} from './adapter.js';
import { brokerTrust } from './brokerTrust.js';
import { isAuthError } from './kafkaError.js';
import { KAFKAJS_COMPRESSION } from './kafkajsCodecs.js';
import {
  adminReads,
  inBatch,
  kjsMessages,
  kjsNewTopics,
  offsetsByTopic,
  partitionsByTopic,
} from './kafkajsShape.js';
import { groupByTopic, tpKey } from './partitions.js';
import { kafkajsRangeAssigner } from './rangeAssigner.js';
import type { ConnectionSettings } from './resolveOptions.js';
import { retrying } from './retrying.js';
import { sizedChunks } from './sizedChunks.js';

const LOG_LEVELS = {
  nothing: LogLevel.NOTHING,
  error: LogLevel.ERROR,
  warn: LogLevel.WARN,
  info: LogLevel.INFO,
  debug: LogLevel.DEBUG,
} as const;

function kafkaConfig(c: ConnectionSettings): KafkaConfig {
  const config: KafkaConfig = {
    brokers: [...c.brokers],
    clientId: c.clientId,
    connectionTimeout: c.connectionTimeoutMs,
    authenticationTimeout: c.connectionTimeoutMs,
    logLevel: LOG_LEVELS[c.logLevel],
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
  };
  if (c.ssl !== undefined) config.ssl = c.ssl;
  if (c.sasl !== undefined) {
    // kafkajs' SASLOptions is a union keyed by mechanism; ours is a subset of it.
    config.sasl = c.sasl as NonNullable<KafkaConfig['sasl']>;
  }
  return config;
}

/** The kafkajs 2.x adapter. */
export function kafkajsAdapter(connection: ConnectionSettings): ClientAdapter {
  const kafka = new Kafka(kafkaConfig(connection));
  // Every connect checks the brokers' certificates first (once they pass, never again).
  const trust = brokerTrust(connection.brokers, connection.ssl, connection.connectionTimeoutMs);
  return {
    kind: 'kafkajs',
    producer: (settings) => kafkajsProducer(kafka, trust, settings),
    consumer: (settings) => kafkajsConsumer(kafka, trust, settings),
    admin: () => kafkajsAdmin(kafka, trust),
  };
}

function kafkajsProducer(
  kafka: Kafka,
  trust: () => Promise<void>,
  s: ProducerSettings,
): AdapterProducer {
  const producer: Producer = kafka.producer({
    // The Java client's murmur2 partitioner (also core's partitionFor).
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: s.idempotent,
    // kafkajs keeps order with retries only with one request in flight when idempotent.
    maxInFlightRequests: s.idempotent ? 1 : 5,
    allowAutoTopicCreation: true,
    ...(s.transactionalId === undefined
      ? {}
      : {
          transactionalId: s.transactionalId,
          transactionTimeout: s.transactionTimeoutMs ?? 60_000,
        }),
  });
  const compression = KAFKAJS_COMPRESSION[s.compression];
  return {
    async connect() {
      await trust();
      await producer.connect();
    },
    async send(topic, messages) {
      for (const chunk of sizedChunks(messages, s.maxMessageBytes)) {
        await producer.send({ topic, messages: kjsMessages(chunk), acks: s.acks, compression });
      }
    },
    async begin(): Promise<AdapterTransaction> {
      const txn = await producer.transaction();
      return {
        async send(topic, messages) {
          for (const chunk of sizedChunks(messages, s.maxMessageBytes)) {
            await txn.send({ topic, messages: kjsMessages(chunk), acks: -1, compression });
          }
        },
        async sendOffsets(_consumer, groupId, offsets) {
          // kafkajs sends the group id only (no generation fencing, KIP-447).
          await txn.sendOffsets({ consumerGroupId: groupId, topics: offsetsByTopic(offsets) });
        },
        commit: () => txn.commit(),
        abort: () => txn.abort(),
      };
    },
    disconnect: () => producer.disconnect(),
  };
}

function kafkajsConsumer(
  kafka: Kafka,
  trust: () => Promise<void>,
  s: ConsumerSettings,
): AdapterConsumer {
  const consumer: Consumer = kafka.consumer({
    groupId: s.groupId,
    sessionTimeout: s.sessionTimeoutMs,
    heartbeatInterval: s.heartbeatIntervalMs,
    rebalanceTimeout: s.maxPollIntervalMs,
    readUncommitted: !s.readCommitted,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: s.fetchMaxWaitMs ?? 500,
    // kafkajs' default is round robin, which co-partitions nothing.
    ...(s.copartitioned === true ? { partitionAssigners: [kafkajsRangeAssigner] } : {}),
  });
  let owned: TopicPartition[] = [];
  // kafkajs has no rebalance callback: assignment changes are seen on GROUP_JOIN (after the
  // rejoin) and handled in order; batches wait for them so state is restored before records flow.
  let rebalancing: Promise<void> = Promise.resolve();
  let closing = false;
  return {
    native: consumer,
    revokesAfterRejoin: true,
    async start(topics, handlers: ConsumerHandlers) {
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        const next: TopicPartition[] = Object.entries(event.payload.memberAssignment).flatMap(
          ([topic, partitions]) => partitions.map((partition) => ({ topic, partition })),
        );
        // kafkajs rebalances eagerly and restarts every assigned partition at its committed
        // offset after a rejoin, so every rebalance is a full revoke and a full assign.
        const previous = owned;
        owned = next;
        rebalancing = rebalancing.then(async () => {
          if (previous.length > 0) await handlers.revoked(previous);
          if (next.length > 0) await handlers.assigned(next);
        });
        rebalancing.catch((error: unknown) => handlers.crashed(error));
      });
      // Emitted before kafkajs sends its JoinGroup, so before any other member can be given
      // this member's partitions.
      consumer.on(consumer.events.REBALANCING, () => handlers.rebalancing?.());
      consumer.on(consumer.events.CRASH, (event) => {
        const { error, restart } = event.payload;
        if (!restart || isAuthError(error)) handlers.crashed(error);
      });
      const isOwned = (tp: TopicPartition) =>
        owned.some((o) => o.topic === tp.topic && o.partition === tp.partition);
      // A fetch of nothing but transaction markers or aborted records never reaches eachBatch;
      // kafkajs only reports it as a batch of size 0. It is handed over as an empty batch with
      // its last offset (so a reader sees it reached the end), after the partition's batch
      // before it and before the next one.
      const markerOnly = new Map<string, Promise<void>>();
      consumer.on(consumer.events.START_BATCH_PROCESS, (event) => {
        const { topic, partition, batchSize, lastOffset, highWatermark } = event.payload;
        if (batchSize !== 0 || closing || !isOwned({ topic, partition })) return;
        const key = tpKey({ topic, partition });
        const empty: InBatch = {
          topic,
          partition,
          messages: [],
          lastOffset: Number(lastOffset),
          highWatermark: Number(highWatermark),
        };
        const next = (markerOnly.get(key) ?? Promise.resolve())
          .then(() => rebalancing)
          .then(() => (closing ? undefined : handlers.batch(empty, async () => {})));
        markerOnly.set(key, next);
        next.catch((error: unknown) => handlers.crashed(error));
      });
      await trust();
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics], fromBeginning: s.fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: true,
        partitionsConsumedConcurrently: s.concurrency,
        eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
          await markerOnly.get(tpKey(batch))?.catch(() => undefined);
          await rebalancing;
          if (closing || !isRunning() || isStale()) return;
          if (!isOwned(batch)) return;
          await handlers.batch(inBatch(batch, Number(batch.lastOffset())), heartbeat);
        },
      });
    },
    async commit(offsets) {
      await consumer.commitOffsets(
        offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })),
      );
    },
    seek(o) {
      consumer.seek({ topic: o.topic, partition: o.partition, offset: String(o.offset) });
    },
    pause(tps) {
      if (tps.length > 0) consumer.pause(partitionsByTopic(tps));
    },
    resume(tps) {
      if (tps.length > 0) consumer.resume(partitionsByTopic(tps));
    },
    async close() {
      closing = true;
      await consumer.disconnect();
    },
  };
}

function kafkajsAdmin(kafka: Kafka, trust: () => Promise<void>): AdapterAdmin {
  const admin = kafka.admin();
  return {
    async connect() {
      await trust();
      await admin.connect();
    },
    async createTopics(topics: readonly NewTopic[]) {
      if (topics.length === 0) return;
      // Retried: waiting for the leaders, kafkajs gives up on UNKNOWN_TOPIC_OR_PARTITION
      // (retriable) when a loaded broker has not yet published the new topic's metadata.
      await retrying(async () => {
        try {
          await admin.createTopics({
            waitForLeaders: true,
            topics: kjsNewTopics(topics),
          });
        } catch (error) {
          // Created meanwhile (or by the try before): fine, existing topics are left alone.
          const errors = (error as { errors?: { type?: string }[] }).errors;
          if (!errors?.every((e) => e.type === 'TOPIC_ALREADY_EXISTS')) throw error;
        }
      });
    },
    async deleteTopics(topics) {
      if (topics.length > 0) await admin.deleteTopics({ topics: [...topics] });
    },
    ...adminReads(admin),
    async partitionCount(topic) {
      const topics = await admin.listTopics();
      if (!topics.includes(topic)) return undefined;
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      return meta.topics[0]?.partitions.length;
    },
    async setOffsets(groupId, offsets) {
      for (const [topic, list] of groupByTopic(offsets)) {
        await admin.setOffsets({
          groupId,
          topic,
          partitions: list.map((o) => ({ partition: o.partition, offset: String(o.offset) })),
        });
      }
    },
    disconnect: () => admin.disconnect(),
  };
}
