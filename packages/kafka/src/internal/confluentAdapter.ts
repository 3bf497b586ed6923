import { sleep, type TopicPartition } from '@tributary/core';
import type {
  AdapterAdmin,
  AdapterConsumer,
  AdapterProducer,
  AdapterTransaction,
  ClientAdapter,
  ConsumerHandlers,
  ConsumerSettings,
  NewTopic,
  ProducerSettings,
} from './adapter.js';
import { tlsCertificateError } from './brokerTrust.js';
import type { CConsumer, CKafka, ConfluentModule, CProducer } from './confluentTypes.js';
import { kafkaError } from './kafkaError.js';
import { adminReads, inBatch, kjsMessages, kjsNewTopics, offsetsByTopic } from './kafkajsShape.js';
import { recordEnds } from './recordEnds.js';
import type { ConnectionSettings } from './resolveOptions.js';

/** Longest a read of where partitions' records end may take, in ms. */
const RECORD_ENDS_TIMEOUT_MS = 30_000;

/** The optional client's package name. */
export const CONFLUENT_PACKAGE = '@confluentinc/kafka-javascript';

const INSTALL_HINT =
  `Install it with \`npm install ${CONFLUENT_PACKAGE}\` where its prebuilt binary fits your ` +
  'platform; otherwise build it against system libraries (Debian/Ubuntu): `apt-get install -y ' +
  'build-essential python3 libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev ' +
  `libcurl4-openssl-dev\`, then \`CKJS_LINKING=dynamic npm install ${CONFLUENT_PACKAGE}\`.`;

let loaded: Promise<ConfluentModule> | undefined;

/**
 * Loads the optional Confluent client once; a missing or unloadable install is
 * KAFKA_CLIENT_MISSING. The specifier is not a literal, so the compiler never looks for the
 * package's types: this package type-checks without it, typed by ./confluentTypes.ts.
 */
export function loadConfluent(): Promise<ConfluentModule> {
  loaded ??= (import(CONFLUENT_PACKAGE) as Promise<Record<string, unknown>>).then(
    // The CommonJS exports object: its spread-in callback API is not seen as named exports.
    (mod) =>
      ((mod.default as ConfluentModule | undefined)?.KafkaJS
        ? mod.default
        : mod) as ConfluentModule,
    (error: unknown) => {
      loaded = undefined;
      throw kafkaError(
        'KAFKA_CLIENT_MISSING',
        `client 'confluent' needs the optional package ${CONFLUENT_PACKAGE}. ${INSTALL_HINT}`,
        error,
      );
    },
  );
  return loaded;
}

// The compat layer's levels (not kafkajs' 4 and 5 for info and debug).
export const LOG_LEVELS = { nothing: 0, error: 1, warn: 2, info: 3, debug: 4 } as const;

/**
 * librdkafka reports a failed SASL or TLS handshake only as a log/error event; the call
 * that fails next says "broker transport failure". This logger remembers the former so
 * that failure can be typed as an authentication or certificate error.
 */
export class CompatLogger {
  authFailure: string | undefined;
  tlsFailure: string | undefined;
  constructor(private readonly level: number) {}
  setLogLevel(_level: number) {
    // Our own level decides what is printed; the client's only decides what reaches us.
  }
  private sniff(message: unknown) {
    const text = String(message);
    if (/authenticat|SASL/i.test(text)) this.authFailure = text;
    // Only a refused certificate: other handshake failures (broker restarting) pass.
    else if (/certificate verify failed/i.test(text)) this.tlsFailure = text;
  }
  error(message: unknown, extra?: object) {
    this.sniff(message);
    if (this.level >= 1) console.error({ message, ...extra });
  }
  warn(message: unknown, extra?: object) {
    this.sniff(message);
    if (this.level >= 2) console.warn({ message, ...extra });
  }
  info(message: unknown, extra?: object) {
    if (this.level >= 3) console.info({ message, ...extra });
  }
  debug(message: unknown, extra?: object) {
    if (this.level >= 4) console.debug({ message, ...extra });
  }
  namespace() {
    return this;
  }

  /** The typed error for a handshake failure seen so far, if any. */
  private failure(cause?: unknown): Error | undefined {
    if (this.authFailure !== undefined) {
      return Object.assign(
        new Error(`SASL authentication failed: ${this.authFailure}`, { cause }),
        { name: 'KafkaJSSASLAuthenticationError', code: -169, type: 'ERR__AUTHENTICATION' },
      );
    }
    if (this.tlsFailure !== undefined) {
      return Object.assign(tlsCertificateError(this.tlsFailure), { cause });
    }
    return undefined;
  }

  /**
   * Runs a client call. An authentication or certificate error seen meanwhile fails it at
   * once (librdkafka would retry until its timeout), typed as such.
   */
  async guard<T>(fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const watch = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        const failure = this.failure();
        if (failure !== undefined) reject(failure);
      }, 100);
    });
    try {
      return await Promise.race([fn(), watch]);
    } catch (error) {
      throw this.failure(error) ?? error;
    } finally {
      clearInterval(timer);
    }
  }
}

/** librdkafka security properties (outside the kafkaJS block). */
export function rdkafkaSecurity(c: ConnectionSettings): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  const tls = c.ssl !== undefined && c.ssl !== false;
  out['security.protocol'] =
    c.sasl === undefined ? (tls ? 'ssl' : 'plaintext') : tls ? 'sasl_ssl' : 'sasl_plaintext';
  if (c.sasl !== undefined) {
    out['sasl.mechanisms'] = c.sasl.mechanism.toUpperCase();
    out['sasl.username'] = c.sasl.username;
    out['sasl.password'] = c.sasl.password;
  }
  if (typeof c.ssl === 'object') {
    if (c.ssl.ca !== undefined) out['ssl.ca.pem'] = c.ssl.ca.toString();
    if (c.ssl.cert !== undefined) out['ssl.certificate.pem'] = c.ssl.cert.toString();
    if (c.ssl.key !== undefined) out['ssl.key.pem'] = c.ssl.key.toString();
    if (c.ssl.rejectUnauthorized === false) out['enable.ssl.certificate.verification'] = false;
  }
  return out;
}

/** librdkafka properties every client of a bus shares. */
export function commonConfig(c: ConnectionSettings): Record<string, unknown> {
  return {
    'bootstrap.servers': c.brokers.join(','),
    'client.id': c.clientId,
    'socket.connection.setup.timeout.ms': c.connectionTimeoutMs,
    ...rdkafkaSecurity(c),
  };
}

/** The @confluentinc/kafka-javascript adapter, over its KafkaJS-compatible API. */
export function confluentAdapter(
  mod: ConfluentModule,
  connection: ConnectionSettings,
): ClientAdapter {
  // Everything goes into librdkafka properties, outside the kafkaJS block, so one
  // config shape serves producer, consumer and admin.
  const kafka: CKafka = new mod.KafkaJS.Kafka({});
  const logger = new CompatLogger(LOG_LEVELS[connection.logLevel]);
  const base = {
    ...commonConfig(connection),
    // At least warnings reach the logger, so authentication errors are seen.
    kafkaJS: { logger, logLevel: Math.max(LOG_LEVELS.warn, LOG_LEVELS[connection.logLevel]) },
  };
  return {
    kind: 'confluent',
    producer: (s) => confluentProducer(kafka, base, logger, s),
    consumer: (s) => confluentConsumer(mod, kafka, base, logger, s),
    admin: () => confluentAdmin(mod, kafka, base, logger),
  };
}

function confluentProducer(
  kafka: CKafka,
  base: Record<string, unknown>,
  logger: CompatLogger,
  s: ProducerSettings,
): AdapterProducer {
  const producer: CProducer = kafka.producer({
    ...base,
    acks: s.acks,
    'enable.idempotence': s.idempotent,
    'linger.ms': s.lingerMs,
    'compression.codec': s.compression,
    'message.max.bytes': s.maxMessageBytes,
    // Java-compatible: murmur2 of the key; keyless records spread randomly.
    partitioner: 'murmur2_random',
    ...(s.transactionalId === undefined
      ? {}
      : {
          'transactional.id': s.transactionalId,
          'transaction.timeout.ms': s.transactionTimeoutMs ?? 60_000,
          // librdkafka requires socket.timeout.ms <= transaction.timeout.ms + 100.
          'socket.timeout.ms': Math.min(60_000, s.transactionTimeoutMs ?? 60_000),
        }),
  });
  return {
    connect: () => logger.guard(() => producer.connect()),
    async send(topic, messages) {
      await producer.send({ topic, messages: kjsMessages(messages) });
    },
    async begin(): Promise<AdapterTransaction> {
      const txn = await producer.transaction();
      return {
        async send(topic, messages) {
          await txn.send({ topic, messages: kjsMessages(messages) });
        },
        async sendOffsets(consumer, _groupId, offsets) {
          // The consumer itself carries group metadata (generation), so zombies are fenced.
          await txn.sendOffsets({ consumer: consumer.native, topics: offsetsByTopic(offsets) });
        },
        commit: () => txn.commit(),
        abort: () => txn.abort(),
      };
    },
    disconnect: () => producer.disconnect(),
  };
}

function confluentConsumer(
  mod: ConfluentModule,
  kafka: CKafka,
  base: Record<string, unknown>,
  logger: CompatLogger,
  s: ConsumerSettings,
): AdapterConsumer {
  const codes = mod.KafkaJS.ErrorCodes;
  let handlers: ConsumerHandlers | undefined;
  let closing = false;
  let connectFailed = false;
  const consumer: CConsumer = kafka.consumer({
    ...base,
    'group.id': s.groupId,
    'enable.auto.commit': false,
    'auto.offset.reset': s.fromBeginning ? 'earliest' : 'latest',
    'session.timeout.ms': s.sessionTimeoutMs,
    'heartbeat.interval.ms': s.heartbeatIntervalMs,
    // The compat layer doubles it internally (see its consumer); halve to mean what we say.
    'max.poll.interval.ms': Math.max(1000, Math.floor(s.maxPollIntervalMs / 2)),
    'isolation.level': s.readCommitted ? 'read_committed' : 'read_uncommitted',
    'allow.auto.create.topics': false,
    'fetch.wait.max.ms': s.fetchMaxWaitMs ?? 100,
    'js.consumer.max.batch.size': s.maxBatchSize,
    // Outside the kafkaJS block this wins over the compat layer's default, round robin (eager).
    ...(s.copartitioned === true ? { 'partition.assignment.strategy': 'range' } : {}),
    // Awaited by the client before it (un)assigns: revoke-then-commit happens here.
    rebalance_cb: async (err: { code: number }, assignment: TopicPartition[]) => {
      if (handlers === undefined) return;
      const tps = assignment.map((tp) => ({ topic: tp.topic, partition: tp.partition }));
      try {
        if (err.code === codes.ERR__ASSIGN_PARTITIONS) await handlers.assigned(tps);
        else if (err.code === codes.ERR__REVOKE_PARTITIONS && !closing) await handlers.revoked(tps);
      } catch (error) {
        handlers.crashed(error);
      }
    },
  });
  return {
    native: consumer,
    revokesAfterRejoin: false,
    async start(topics, h) {
      handlers = h;
      await logger
        .guard(() => consumer.connect())
        .catch((error: unknown) => {
          connectFailed = true;
          throw error;
        });
      await consumer.subscribe({ topics: [...topics] });
      // run() resolves once the loop is set up; the loop goes on in the background.
      await consumer.run({
        eachBatchAutoResolve: true,
        partitionsConsumedConcurrently: s.concurrency,
        eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
          if (closing || !isRunning() || isStale()) return;
          await h.batch(inBatch(batch), heartbeat);
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
    // Pause and resume are deliberately no-ops on this client. It queues a pause and runs it
    // later in its consume loop; when a rebalance or close revokes the partitions first, the
    // queued pause fails inside the client ("Local: Erroneous state") as an unhandled
    // rejection, which would crash the process. Backpressure still holds: the source awaits
    // deliver() inside each batch handler, and librdkafka's fetch queues are bounded
    // (queued.max.messages.kbytes). Batches of partitions read to their end are dropped.
    pause() {},
    resume() {},
    async close() {
      closing = true;
      // A connect the guard gave up on is still pending inside the client, and disconnect
      // waits for it (librdkafka's 30 s metadata timeout): let it end in the background.
      if (connectFailed) void consumer.disconnect().catch(() => undefined);
      else await consumer.disconnect();
    },
  };
}

function confluentAdmin(
  mod: ConfluentModule,
  kafka: CKafka,
  base: Record<string, unknown>,
  logger: CompatLogger,
): AdapterAdmin {
  const admin = kafka.admin({ ...base });
  return guardAll(logger, {
    connect: () => admin.connect(),
    async createTopics(topics: readonly NewTopic[]) {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.topic));
      if (missing.length === 0) return;
      try {
        await admin.createTopics({
          topics: kjsNewTopics(missing),
        });
      } catch (error) {
        // TOPIC_ALREADY_EXISTS (36): created meanwhile, which is fine.
        if ((error as { code?: unknown }).code !== 36) throw error;
      }
      await waitForTopics(
        admin,
        missing.map((t) => t.topic),
      );
    },
    async deleteTopics(topics) {
      if (topics.length > 0) await admin.deleteTopics({ topics: [...topics] });
    },
    ...adminReads(admin),
    async partitionCount(topic) {
      const topics = await admin.listTopics();
      if (!topics.includes(topic)) return undefined;
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      return meta[0]?.partitions.length;
    },
    async setOffsets(groupId, offsets) {
      // The compat admin has no setOffsets: commit as a group-less member (allowed while
      // the group has no active member) with the callback API's consumer.
      const consumer = new mod.KafkaConsumer(
        { ...withoutKafkaJS(base), 'group.id': groupId, 'enable.auto.commit': false },
        {},
      );
      await new Promise<void>((resolve, reject) =>
        consumer.connect({}, (err) => (err ? reject(err) : resolve())),
      );
      try {
        consumer.commitSync(
          offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
        );
      } finally {
        await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
      }
    },
    recordEnds: (ranges, readCommitted) =>
      recordEnds(mod, withoutKafkaJS(base), ranges, readCommitted, RECORD_ENDS_TIMEOUT_MS),
    disconnect: () => admin.disconnect(),
  });
}

function withoutKafkaJS(config: Record<string, unknown>): Record<string, unknown> {
  const { kafkaJS: _, ...rest } = config;
  return rest;
}

/** Every method of `target` run through `logger.guard`. */
function guardAll<T extends object>(logger: CompatLogger, target: T): T {
  const out = { ...target } as Record<string, unknown>;
  for (const [name, fn] of Object.entries(target)) {
    if (typeof fn === 'function') {
      out[name] = (...args: unknown[]) =>
        logger.guard(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args));
    }
  }
  return out as T;
}

/** librdkafka's CreateTopics returns before metadata shows the topic everywhere. */
async function waitForTopics(
  admin: { listTopics(): Promise<string[]> },
  topics: readonly string[],
): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const present = new Set(await admin.listTopics());
    if (topics.every((t) => present.has(t))) return;
    await sleep(100);
  }
}
