import {
  consoleLogger,
  errorMessage,
  invalidOption,
  type JsonValue,
  type LearnerSnapshot,
  type Logger,
  type LogLevel,
  type ModelStore,
  type ModelVersion,
  modelSubscribers,
} from '@tributary/core';
import type { InMessage } from './internal/adapter.js';
import { followTopic } from './internal/followTopic.js';
import { ModelCatalog } from './internal/modelCatalog.js';
import { ModelFollower } from './internal/modelFollower.js';
import { ModelPublisher } from './internal/modelPublisher.js';
import { modelStoreError } from './internal/modelStoreError.js';
import { busContext, type KafkaBus } from './kafkaBus.js';

/** Options of {@link kafkaModelStore}. */
export interface KafkaModelStoreOptions {
  /** The compacted topic holding the versions, e.g. `fraud-models`. Created when missing. */
  readonly topic: string;
  /** Replication of a new topic. Default -1 (the broker's default). */
  readonly replicationFactor?: number;
  /** Versions kept per name; older ones get tombstones after each save. Default: all. */
  readonly keep?: number;
  /** Clock for `savedAt`; default `Date.now`. */
  readonly now?: () => number;
  /** Where failing subscribers and skipped records are reported; default stderr at the bus's `logLevel`. */
  readonly logger?: Logger;
}

/** A {@link ModelStore} on a Kafka topic; `close()` stops it (closing the bus does too). */
export interface KafkaModelStore extends ModelStore {
  /** The compacted topic holding the versions (the `topic` option). */
  readonly topic: string;
  /** Names of the models with a version in the topic, sorted (for tools such as the CLI). */
  names(): Promise<string[]>;
  /** Stops the store's consumer and producer; later calls fail. */
  close(): Promise<void>;
}

/** Every version lives in this partition, so offsets order all saves of the topic. */
const PARTITION = 0;

const LEVELS: Record<'nothing' | 'error' | 'warn' | 'info' | 'debug', LogLevel> = {
  nothing: 'silent',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
};

/**
 * A durable model store shared by processes: each save is one record of a compacted topic,
 * and its version is its offset + 1, so versions increase in save order and every reader
 * agrees on them, whoever wrote. A background consumer follows the topic; `subscribe`
 * hears versions saved by any process, and `save` resolves once that consumer has read
 * the saved record back.
 */
export function kafkaModelStore(bus: KafkaBus, options: KafkaModelStoreOptions): KafkaModelStore {
  if (typeof options?.topic !== 'string' || options.topic.length === 0) {
    throw invalidOption('topic', 'a topic name', options?.topic);
  }
  const { topic } = options;
  const replicationFactor = options.replicationFactor ?? -1;
  if (!Number.isInteger(replicationFactor) || (replicationFactor < 1 && replicationFactor !== -1)) {
    throw invalidOption('replicationFactor', 'an integer >= 1 (or -1)', replicationFactor);
  }
  const keep = options.keep ?? Number.POSITIVE_INFINITY;
  if (keep !== Number.POSITIVE_INFINITY && (!Number.isInteger(keep) || keep < 1)) {
    throw invalidOption('keep', 'an integer >= 1', keep);
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw invalidOption('now', 'a function returning epoch milliseconds', options.now);
  }
  const ctx = busContext(bus);
  const log = options.logger ?? consoleLogger(LEVELS[ctx.options.connection.logLevel]);
  const failed = (what: string, error?: unknown) => modelStoreError(topic, what, error);
  let closed = false;

  // The topic's versions, rebuilt from its records; subscribers hear the new ones.
  const catalog = new ModelCatalog(keep);
  const subscriberFailed = (model: ModelVersion, error: unknown) =>
    log.error('kafkaModelStore: a subscriber failed; the store goes on', {
      topic,
      model: model.name,
      version: model.version,
      error: errorMessage(error),
    });
  const subscribers = modelSubscribers(subscriberFailed);
  // Its own producer, never transactional: a save must not wait for (or abort with) a
  // pipeline's transaction, and always goes with acks=all and idempotence.
  const publisher = new ModelPublisher({
    topic,
    partition: PARTITION,
    maxMessageBytes: ctx.options.producer.maxMessageBytes,
    now: options.now ?? Date.now,
    connect: () =>
      ctx.connectedProducer(
        { ...ctx.options.producer, acks: -1, idempotent: true },
        'model store producer',
      ),
  });

  const record = (m: InMessage, fresh: boolean) => {
    let added: ModelVersion | undefined;
    try {
      added = catalog.apply(
        m.offset,
        m.key === null ? null : m.key.toString('utf8'),
        m.value === null ? null : m.value.toString('utf8'),
      );
    } catch (error) {
      log.warn('kafkaModelStore: skipping a record that is not a model version', {
        topic,
        offset: m.offset,
        error: errorMessage(error),
      });
      return;
    }
    if (added === undefined) return;
    if (fresh) for (const error of subscribers.notify(added)) subscriberFailed(added, error);
    publisher.readBack((m.key as Buffer).toString('utf8'), added);
  };

  const ensureTopic = async () => {
    const admin = await ctx.admin();
    if ((await admin.partitionCount(topic)) !== undefined) return;
    await admin.createTopics([
      {
        topic,
        partitions: 1,
        replicationFactor,
        // Large models: let the topic take whatever the producer may send.
        config: {
          'cleanup.policy': 'compact',
          'max.message.bytes': String(ctx.options.producer.maxMessageBytes),
        },
      },
    ]);
  };

  const follower = new ModelFollower({
    topic,
    log,
    record,
    async open(hooks) {
      await ensureTopic();
      return followTopic(ctx, topic, {
        purpose: 'models',
        partitions: [PARTITION],
        untilEnd: false,
        concurrency: 1,
        ...hooks,
      });
    },
  });

  /** The follower has read the topic to its end once; starts it on first use. */
  const started = (): Promise<void> =>
    closed || ctx.closed ? Promise.reject(failed('closed')) : follower.started();

  /** Tombstones the versions of `name` beyond `keep`; a failure is retried by the next save. */
  const trim = async (name: string) => {
    const expired = catalog.expired(name);
    if (expired.length === 0) return;
    try {
      await publisher.tombstone(expired, name);
    } catch (error) {
      log.warn('kafkaModelStore: could not tombstone old versions; the next save retries', {
        topic,
        model: name,
        error: errorMessage(error),
      });
    }
  };

  const close = async () => {
    if (closed) return;
    closed = true;
    subscribers.clear();
    // A follower still reading to its end fails its start with KAFKA_MODEL_STORE_FAILED.
    const following = follower.close();
    const publishing = publisher.close(failed('closed before the save was read back'));
    await Promise.all([following, publishing]);
  };
  ctx.onClose(close);

  return {
    topic,
    async save(
      name: string,
      snapshot: LearnerSnapshot,
      metadata: { readonly [key: string]: JsonValue } = {},
    ) {
      await started();
      const model = await publisher.save(name, snapshot, metadata);
      await trim(name);
      return structuredClone(model);
    },

    async load(name: string, version?: number) {
      await started();
      const versions = catalog.versions(name);
      const found =
        version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
      return found === undefined ? undefined : structuredClone(found);
    },

    async names() {
      await started();
      return catalog.names();
    },

    async versions(name: string) {
      await started();
      return catalog.versions(name).map((v) => v.version);
    },

    subscribe(name: string, listener: (model: ModelVersion) => void) {
      const unsubscribe = subscribers.add(name, listener);
      // Subscribers need the follower running, whether or not anything else was called.
      started().catch((error: unknown) =>
        log.error('kafkaModelStore: cannot follow the topic for subscribers', {
          topic,
          error: errorMessage(error),
        }),
      );
      return unsubscribe;
    },

    close,
  };
}
