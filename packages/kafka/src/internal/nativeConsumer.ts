import { sleep, type TopicPartition, type TopicPartitionOffset } from '@tributary/core';
import type {
  AdapterConsumer,
  ConsumerHandlers,
  ConsumerSettings,
  InBatch,
  InMessage,
} from './adapter.js';
import type { CompatLogger } from './confluentAdapter.js';
import type { ConfluentModule, NConsumer, NError, NMessage } from './confluentTypes.js';
import { FetchBuffer } from './fetchBuffer.js';
import { plainPartitions, tpKey } from './partitions.js';

// librdkafka's rebalance event codes.
const ASSIGN = -175;
const REVOKE = -174;

/**
 * How long the loop waits after a consume call that found nothing, unless librdkafka's queue
 * turns non-empty first, in ms (bounds close and rebalance turnaround).
 */
const CONSUME_WAIT_MS = 100;
/** Most records one consume call takes; the source cuts them into its own batches. */
const CONSUME_MAX = 10_000;
/** Records queued per partition before it stops fetching, and below which it fetches again. */
const QUEUE_HIGH = 10_000;
const QUEUE_LOW = 2_000;
/** Most records of a partition handed over at once: its queue frees room as the runtime goes. */
const HAND_OVER_MAX = 2_000;
/** Longest the loop waits for room before it stops fetching the full partitions, in ms. */
const STALL_MS = 1_000;
/**
 * How long librdkafka waits before fetching again once its own prefetch queue is full, in ms.
 * Its default (1 s) left the loop with nothing to take for most of that second once the queue
 * had drained (issue 13).
 */
const FETCH_QUEUE_BACKOFF_MS = 10;

/** Header values arrive as a list of one-entry objects; keep the last per name, as bytes. */
function headerBytes(list: NMessage['headers']): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  if (list === undefined) return out;
  for (const entry of list) {
    for (const name in entry) {
      const v = entry[name] as Buffer | string;
      out[name] = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    }
  }
  return out;
}

const NO_HEADERS: Record<string, Buffer> = Object.freeze({}) as Record<string, Buffer>;

function inMessage(m: NMessage): InMessage {
  const key = m.key;
  return {
    offset: m.offset,
    key:
      key === undefined || key === null ? null : typeof key === 'string' ? Buffer.from(key) : key,
    value: m.value ?? null,
    headers: m.headers === undefined ? NO_HEADERS : headerBytes(m.headers),
    timestamp: m.timestamp ?? -1,
  };
}

/**
 * A consumer on librdkafka's own API (`KafkaConsumer`): one loop takes up to 10,000 fetched
 * records per `consume(n)` call (one call into the native side, no promise per record) into a
 * {@link FetchBuffer}, which hands each partition over on its own (one busy partition never
 * holds the others back). The loop takes only what fits in the partitions' queues and, when one
 * is full, waits for it to drain (librdkafka's prefetch queue is the buffer meanwhile); a
 * partition still full after a second stops fetching (the loop itself keeps polling). The
 * runtime's pauses stop fetching too. Rebalances come through `rebalance_cb`: the handlers run before
 * the partitions are assigned (so seeks and pauses of the handler take effect at assignment)
 * and before they are unassigned (revoke-then-commit), and fetched records wait meanwhile.
 * Cooperative-sticky assignment unless `settings.cooperative` is false (exactly-once revokes
 * everything, so the open transaction can be committed whole) or `settings.copartitioned` is
 * set: both take range (eager), which gives a member the same partitions of every topic.
 */
export function nativeConsumer(
  mod: ConfluentModule,
  base: Record<string, unknown>,
  logger: CompatLogger,
  trust: () => Promise<void>,
  s: ConsumerSettings,
): AdapterConsumer {
  let handlers: ConsumerHandlers | undefined;
  let closing = false;
  let connectFailed = false;
  // Whether connect was called: disconnecting a client that never connected crashes the process.
  let connecting = false;
  // Rebalance work in the order librdkafka reported it; the loop hands nothing over meanwhile.
  let rebalancing: Promise<void> = Promise.resolve();
  // While a partition is being assigned, its seeks and pauses wait for the assign call.
  let assigning: Map<string, TopicPartitionOffset | undefined> | undefined;
  const pendingPauses = new Set<string>();
  // Fetching of a partition stops while the runtime paused it or its queue is full.
  const userPaused = new Set<string>();
  const queueFull = new Set<string>();
  let loop: Promise<void> | undefined;
  // librdkafka's consumer queue turned non-empty since the last consume call began (records,
  // rebalances, errors to serve); wakes the loop waiting after an empty call.
  let queueNonEmpty = false;
  let wakeLoop: (() => void) | undefined;
  // Revocations so far, and the last one of each partition: a consume under way during a
  // revoke may return records of the old assignment, which must not be handed over (a partition
  // assigned again restarts from its committed offset).
  let revocations = 0;
  const revokedAt = new Map<string, number>();
  // Next offset per partition after the records queued so far (reset by assignments and seeks).
  const queuedUpTo = new Map<string, number>();

  const setFetching = (tp: TopicPartition) => {
    const key = tpKey(tp);
    const plain = [{ topic: tp.topic, partition: tp.partition }];
    try {
      if (userPaused.has(key) || queueFull.has(key)) consumer.pause(plain);
      else consumer.resume(plain);
    } catch {
      // Revoked meanwhile.
    }
  };
  const buffer = new FetchBuffer<InMessage>(
    {
      deliver: (tp, messages) => deliver(tp, messages),
      stopFetching(tp) {
        queueFull.add(tpKey(tp));
        setFetching(tp);
      },
      startFetching(tp) {
        queueFull.delete(tpKey(tp));
        setFetching(tp);
      },
    },
    QUEUE_HIGH,
    QUEUE_LOW,
    HAND_OVER_MAX,
  );
  // Waiting for room must not keep the loop from librdkafka (rebalances, max.poll.interval.ms).
  const stallMs = Math.min(STALL_MS, Math.floor(s.maxPollIntervalMs / 4));

  const crashed = (error: unknown) => {
    if (!closing) handlers?.crashed(error);
  };

  const consumer: NConsumer = new mod.KafkaConsumer(
    {
      ...base,
      'group.id': s.groupId,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'session.timeout.ms': s.sessionTimeoutMs,
      'heartbeat.interval.ms': s.heartbeatIntervalMs,
      'max.poll.interval.ms': s.maxPollIntervalMs,
      'isolation.level': s.readCommitted ? 'read_committed' : 'read_uncommitted',
      'allow.auto.create.topics': false,
      'fetch.wait.max.ms': s.fetchMaxWaitMs ?? 100,
      'fetch.queue.backoff.ms': FETCH_QUEUE_BACKOFF_MS,
      'partition.assignment.strategy':
        s.cooperative === false || s.copartitioned === true ? 'range' : 'cooperative-sticky',
      queue_non_empty_cb: () => {
        queueNonEmpty = true;
        wakeLoop?.();
      },
      rebalance_cb: (err: NError, assignment: TopicPartition[]) => {
        const tps = plainPartitions(assignment);
        rebalancing = rebalancing.then(() =>
          err.code === ASSIGN ? assigned(tps) : err.code === REVOKE ? revoked(tps) : lost(),
        );
      },
    },
    { 'auto.offset.reset': s.fromBeginning ? 'earliest' : 'latest' },
  );
  consumer.on('event.error', (e) => {
    logger.error(e.message, { code: e.code });
    if (e.isFatal) crashed(e);
  });

  const cooperative = () => {
    try {
      return consumer.rebalanceProtocol() === 'COOPERATIVE';
    } catch {
      return false;
    }
  };

  async function assigned(tps: TopicPartition[]): Promise<void> {
    for (const tp of tps) queuedUpTo.delete(tpKey(tp));
    assigning = new Map(tps.map((tp) => [tpKey(tp), undefined]));
    try {
      if (!closing) await handlers?.assigned(tps);
    } catch (error) {
      crashed(error);
    }
    const seeks = assigning;
    assigning = undefined;
    const withOffsets = tps.map((tp) => seeks.get(tpKey(tp)) ?? tp);
    try {
      if (cooperative()) consumer.incrementalAssign(withOffsets);
      else consumer.assign(withOffsets);
      for (const tp of tps) {
        if (pendingPauses.delete(tpKey(tp))) {
          userPaused.add(tpKey(tp));
          setFetching(tp);
        }
      }
    } catch (error) {
      crashed(error);
    }
  }

  async function revoked(tps: TopicPartition[]): Promise<void> {
    revocations++;
    for (const tp of tps) {
      revokedAt.set(tpKey(tp), revocations);
      queuedUpTo.delete(tpKey(tp));
    }
    buffer.drop(tps);
    for (const tp of tps) {
      userPaused.delete(tpKey(tp));
      queueFull.delete(tpKey(tp));
    }
    try {
      if (!closing) await handlers?.revoked(tps);
    } catch (error) {
      crashed(error);
    }
    try {
      if (cooperative()) consumer.incrementalUnassign(tps);
      else consumer.unassign();
    } catch {
      // Closing: the client unassigns on its own.
    }
  }

  async function lost(): Promise<void> {
    try {
      consumer.unassign();
    } catch {
      // Nothing assigned.
    }
  }

  const consumeOnce = (n: number) =>
    new Promise<NMessage[]>((resolve, reject) =>
      consumer.consume(n, (err, messages) => (err ? reject(err) : resolve(messages))),
    );

  /**
   * How many records the next consume call may take. With a partition's queue full it waits
   * for a hand-over first, up to `stallMs`, and only then stops fetching the full partitions:
   * pausing one drops the records librdkafka prefetched for it, fetched again on resume, which
   * cost a second of fetching per pause while the runtime was the slower side (issue 13).
   */
  async function room(): Promise<number> {
    let n = buffer.room();
    if (n > 0) return Math.min(CONSUME_MAX, n);
    const until = Date.now() + stallMs;
    while (n === 0 && !closing && Date.now() < until) {
      await buffer.handedOver(until - Date.now());
      n = buffer.room();
    }
    if (n === 0) {
      buffer.stopFull();
      n = buffer.room();
    }
    return Math.max(1, Math.min(CONSUME_MAX, n));
  }

  const heartbeat = async () => {
    // librdkafka heartbeats from its own thread.
  };

  function highWatermark(topic: string, partition: number): number | undefined {
    try {
      const high = consumer.getWatermarkOffsets(topic, partition).highOffset;
      return high >= 0 ? high : undefined;
    } catch {
      return undefined;
    }
  }

  async function deliver(tp: TopicPartition, messages: InMessage[]): Promise<void> {
    const h = handlers;
    if (h === undefined || closing) return;
    const high = highWatermark(tp.topic, tp.partition);
    const batch: InBatch = {
      topic: tp.topic,
      partition: tp.partition,
      messages,
      ...(high === undefined ? {} : { highWatermark: high }),
    };
    await h.batch(batch, heartbeat).catch(crashed);
  }

  /**
   * Queues fetched records per partition, in fetch order. librdkafka fetches a partition again
   * from its position after a resume, so records already queued can come twice: only records
   * past the last one queued go in. Records of a partition revoked after revocation number
   * `before` (the consume began before it) are left out.
   */
  function queue(messages: NMessage[], before: number): void {
    let tp: TopicPartition | undefined;
    let key = '';
    let next = -1;
    let revoked = false;
    let run: InMessage[] = [];
    const flush = () => {
      if (tp === undefined || revoked) return;
      buffer.add(tp, run);
      queuedUpTo.set(key, next);
    };
    for (const m of messages) {
      if (tp === undefined || tp.partition !== m.partition || tp.topic !== m.topic) {
        flush();
        tp = { topic: m.topic, partition: m.partition };
        key = tpKey(tp);
        revoked = (revokedAt.get(key) ?? 0) > before;
        next = queuedUpTo.get(key) ?? -1;
        run = [];
      }
      if (revoked || m.offset < next) continue;
      next = m.offset + 1;
      run.push(inMessage(m));
    }
    flush();
  }

  /** Resolves once librdkafka's queue turns non-empty, close begins, or after `ms`. */
  function nextRecords(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(wake, ms);
      function wake() {
        clearTimeout(timer);
        wakeLoop = undefined;
        resolve();
      }
      wakeLoop = wake;
    });
  }

  async function run(): Promise<void> {
    // Never stops calling consume (full queues pause their partitions instead): librdkafka
    // drops a member that does not poll within max.poll.interval.ms, and serves rebalances here.
    while (!closing) {
      const n = await room();
      if (closing) break;
      const before = revocations;
      queueNonEmpty = false;
      let messages: NMessage[];
      try {
        messages = await consumeOnce(n);
      } catch (error) {
        if (closing) break;
        if ((error as NError).isFatal) {
          crashed(error);
          break;
        }
        logger.warn((error as NError).message ?? String(error));
        await sleep(CONSUME_WAIT_MS);
        continue;
      }
      // Records of partitions assigned or revoked meanwhile wait for the handlers.
      await rebalancing;
      if (closing) break;
      queue(messages, before);
      // Nothing was queued: wait for librdkafka to queue something rather than call again.
      if (messages.length === 0 && !queueNonEmpty) await nextRecords(CONSUME_WAIT_MS);
    }
  }

  return {
    native: consumer,
    revokesAfterRejoin: false,
    async start(topics, h) {
      handlers = h;
      try {
        await trust();
        connecting = true;
        await logger.guard(
          () =>
            new Promise<void>((resolve, reject) =>
              consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())),
            ),
        );
      } catch (error) {
        connectFailed = true;
        throw error;
      }
      // A consume call takes what librdkafka has queued and returns: no wait for the first record
      // (the loop waits for the queue instead), nor the binding's 1 ms after the last one.
      consumer.setDefaultConsumeTimeout(0);
      consumer.setDefaultIsTimeoutOnlyForFirstMessage(false);
      consumer.subscribe([...topics]);
      loop = run();
    },
    commit(offsets) {
      return new Promise<void>((resolve, reject) =>
        consumer.commitCb(
          offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
          (err) => (err ? reject(err) : resolve()),
        ),
      );
    },
    seek(o) {
      const key = tpKey(o);
      queuedUpTo.delete(key);
      if (assigning?.has(key)) {
        assigning.set(key, { topic: o.topic, partition: o.partition, offset: o.offset });
        return;
      }
      consumer.seek({ topic: o.topic, partition: o.partition, offset: o.offset }, 0, () => {});
    },
    pause(tps) {
      for (const tp of plainPartitions(tps)) {
        const key = tpKey(tp);
        if (assigning?.has(key)) pendingPauses.add(key);
        else if (!userPaused.has(key)) {
          userPaused.add(key);
          setFetching(tp);
        }
      }
    },
    resume(tps) {
      for (const tp of plainPartitions(tps)) {
        const key = tpKey(tp);
        if (pendingPauses.delete(key)) continue;
        if (userPaused.delete(key)) setFetching(tp);
      }
    },
    async close() {
      closing = true;
      wakeLoop?.();
      buffer.close();
      // A connect the guard gave up on is still pending inside the client: let it end alone.
      if (connectFailed) {
        if (connecting) consumer.disconnect(() => undefined);
        return;
      }
      if (!connecting) return;
      // The loop ends after its consume call; a handler the runtime still holds is not waited for.
      await Promise.race([loop, sleep(5000)]);
      await Promise.race([rebalancing, sleep(5000)]);
      await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
    },
  };
}
