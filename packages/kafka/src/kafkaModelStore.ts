import { randomUUID } from 'node:crypto';
import {
  consoleLogger,
  errorMessage,
  invalidOption,
  type Logger,
  type LogLevel,
  TributaryError,
} from '@tributary/core';
import type { JsonValue, LearnerSnapshot, ModelStore, ModelVersion } from '@tributary/learn';
import type { AdapterProducer, InMessage, OutMessage } from './internal/adapter.js';
import { followTopic, type TopicFollower } from './internal/followTopic.js';
import { isTributaryErrorLike, kafkaError } from './internal/kafkaError.js';
import { approximateSize } from './internal/kafkaSink.js';
import { encodeModelKey, encodeModelValue, ModelCatalog } from './internal/modelCatalog.js';
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
/** Wait before a crashed follower starts again. */
const RESTART_MS = 1000;

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
  const now = options.now ?? Date.now;
  const ctx = busContext(bus);
  const log = options.logger ?? consoleLogger(LEVELS[ctx.options.connection.logLevel]);
  const writer = randomUUID();
  const catalog = new ModelCatalog(keep);
  const listeners = new Map<string, Set<(model: ModelVersion) => void>>();
  // Saves waiting to be read back: record key → settle.
  const pending = new Map<
    string,
    { resolve: (m: ModelVersion) => void; reject: (e: unknown) => void }
  >();
  let seq = 0;
  let ready: Promise<void> | undefined;
  let follower: TopicFollower | undefined;
  let producerP: Promise<AdapterProducer> | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  // Records from this offset on are new to subscribers; set to the end offset at the first start.
  let notifyFrom: number | undefined;
  let closed = false;

  const failed = (what: string, error?: unknown) =>
    error !== undefined && isTributaryErrorLike(error)
      ? (error as TributaryError)
      : new TributaryError(
          'KAFKA_MODEL_STORE_FAILED',
          `model store ${topic}: ${what}${error === undefined ? '' : `: ${errorMessage(error)}`}`,
          { cause: error, details: { topic } },
        );

  const notify = (model: ModelVersion) => {
    for (const listener of listeners.get(model.name) ?? []) {
      const report = (error: unknown) =>
        log.error('kafkaModelStore: a subscriber failed; the store goes on', {
          topic,
          model: model.name,
          version: model.version,
          error: errorMessage(error),
        });
      try {
        const result: unknown = listener(structuredClone(model));
        if (result instanceof Promise) result.catch(report);
      } catch (error) {
        report(error);
      }
    }
  };

  const receive = (m: InMessage) => {
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
    if (m.offset >= (notifyFrom ?? 0)) {
      notifyFrom = m.offset + 1;
      notify(added);
    }
    const key = (m.key as Buffer).toString('utf8');
    const waiting = pending.get(key);
    if (waiting !== undefined) {
      pending.delete(key);
      waiting.resolve(added);
    }
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

  /**
   * Starts a consumer that follows the topic for as long as the store is open; resolves once
   * it has read to the end offset seen at its start. A crash later restarts it.
   */
  const follow = async (): Promise<void> => {
    await ensureTopic();
    let f: TopicFollower | undefined;
    f = await followTopic(ctx, topic, {
      purpose: 'models',
      partitions: [PARTITION],
      untilEnd: false,
      concurrency: 1,
      onStart: (marks) => {
        notifyFrom ??= marks[0]?.high ?? 0;
      },
      onMessage: (_partition, m) => receive(m),
      onCrash: (error) => {
        if (f !== undefined && follower === f) crashedLater(f, error);
      },
    });
    if (closed) {
      await f.stop();
      throw failed('closed');
    }
    follower = f;
    try {
      await f.caughtUp;
    } catch (error) {
      if (follower === f) follower = undefined;
      await f.stop();
      throw error;
    }
  };

  const crashedLater = (f: TopicFollower, error: unknown) => {
    log.error('kafkaModelStore: the topic follower failed; restarting it', {
      topic,
      error: errorMessage(error),
    });
    follower = undefined;
    void f.stop();
    const restart = () => {
      restartTimer = undefined;
      if (closed) return;
      follow().catch((e: unknown) => {
        if (closed) return;
        log.error('kafkaModelStore: restarting the topic follower failed; trying again', {
          topic,
          error: errorMessage(e),
        });
        restartTimer = setTimeout(restart, RESTART_MS);
      });
    };
    restartTimer = setTimeout(restart, RESTART_MS);
  };

  /** The follower has read the topic to its end once; starts it on first use. */
  const started = (): Promise<void> => {
    if (closed || ctx.closed) return Promise.reject(failed('closed'));
    ready ??= follow().catch((error: unknown) => {
      ready = undefined;
      throw failed('could not read the topic', error);
    });
    return ready;
  };

  // Its own producer, never transactional: a save must not wait for (or abort with) a
  // pipeline's transaction, and always goes with acks=all and idempotence.
  const producer = (): Promise<AdapterProducer> => {
    if (closed) return Promise.reject(failed('closed'));
    producerP ??= ctx
      .connectedProducer(
        { ...ctx.options.producer, acks: -1, idempotent: true },
        'model store producer',
      )
      .catch((error: unknown) => {
        producerP = undefined;
        throw error;
      });
    return producerP;
  };

  const send = async (messages: OutMessage[], what: string) => {
    try {
      await (await producer()).send(topic, messages);
    } catch (error) {
      if (isTributaryErrorLike(error)) throw error;
      throw kafkaError('KAFKA_DELIVERY_FAILED', `model store ${topic}: ${what}`, error, { topic });
    }
  };

  /** Tombstones the versions of `name` beyond `keep`; a failure is retried by the next save. */
  const trim = async (name: string) => {
    const expired = catalog.expired(name);
    if (expired.length === 0) return;
    const tombstones = expired.map(
      (k): OutMessage => ({
        key: Buffer.from(k, 'utf8'),
        value: null,
        headers: {},
        partition: PARTITION,
      }),
    );
    try {
      await send(tombstones, `tombstones for ${name}`);
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
    clearTimeout(restartTimer);
    listeners.clear();
    for (const waiting of pending.values())
      waiting.reject(failed('closed before the save was read back'));
    pending.clear();
    const f = follower;
    follower = undefined;
    // A follower still reading to its end fails its start with this.
    await f?.stop(failed('closed'));
    const p = producerP;
    producerP = undefined;
    await p?.then((x) => x.disconnect()).catch(() => undefined);
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
      seq += 1;
      const key = encodeModelKey({ name, writer, seq });
      const message: OutMessage = {
        key: Buffer.from(key, 'utf8'),
        value: Buffer.from(encodeModelValue(name, snapshot, now(), metadata), 'utf8'),
        headers: {},
        partition: PARTITION,
      };
      const limit = ctx.options.producer.maxMessageBytes;
      const bytes = approximateSize(message);
      if (bytes > limit) {
        throw new TributaryError(
          'KAFKA_RECORD_TOO_LARGE',
          `model ${name} is about ${bytes} bytes as a record of ${topic}; producer.maxMessageBytes is ${limit}`,
          { details: { topic, model: name, bytes, limit } },
        );
      }
      const readBack = new Promise<ModelVersion>((resolve, reject) => {
        pending.set(key, { resolve, reject });
      });
      // Rejected only by close(); handled below, but never left unhandled meanwhile.
      readBack.catch(() => undefined);
      try {
        await send([message], `saving ${name} failed`);
      } catch (error) {
        pending.delete(key);
        throw error;
      }
      const model = await readBack;
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
      let set = listeners.get(name);
      if (set === undefined) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(listener);
      // Subscribers need the follower running, whether or not anything else was called.
      started().catch((error: unknown) =>
        log.error('kafkaModelStore: cannot follow the topic for subscribers', {
          topic,
          error: errorMessage(error),
        }),
      );
      return () => {
        set.delete(listener);
      };
    },

    close,
  };
}
