import type {
  AdapterProducer,
  AdapterTransaction,
  OutMessage,
  ProducerSettings,
} from './adapter.js';
import type { CompatLogger } from './confluentAdapter.js';
import type { ConfluentModule, NConsumer, NError, NProducer } from './confluentTypes.js';

/** librdkafka's "local queue full": the producer's buffer is full, try again shortly. */
const QUEUE_FULL = -184;

/** One send: settles once every one of its records has its delivery report. */
interface Delivery {
  readonly topic: string;
  readonly messages: readonly OutMessage[];
  /** Next record to enqueue. */
  next: number;
  /** Records enqueued and not reported yet, plus those not enqueued. */
  remaining: number;
  error: unknown;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function settle(d: Delivery): void {
  if (d.error === undefined) d.resolve();
  else d.reject(d.error);
}

function nativeHeaders(headers: Record<string, Buffer>): Record<string, Buffer>[] | undefined {
  let out: Record<string, Buffer>[] | undefined;
  for (const name in headers) {
    out ??= [];
    out.push({ [name]: headers[name] as Buffer });
  }
  return out;
}

const call = (fn: (cb: (err: NError | null | undefined) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));

/**
 * A producer on librdkafka's own API: a send enqueues its records with one `produce` call each
 * (no promise per record, keys and values passed as the Buffers they are) and settles on their
 * delivery reports, which librdkafka's background poll thread hands over. Sends enqueue in call
 * order, also when the local queue is full (they wait their turn), so order per partition
 * holds. Transactions use librdkafka's own, with offsets sent through the consumer (its group
 * metadata fences zombies, KIP-447).
 */
export function nativeProducer(
  mod: ConfluentModule,
  base: Record<string, unknown>,
  logger: CompatLogger,
  trust: () => Promise<void>,
  s: ProducerSettings,
): AdapterProducer {
  const txnTimeout = s.transactionTimeoutMs ?? 60_000;
  const producer: NProducer = new mod.Producer(
    {
      ...base,
      dr_cb: true,
      acks: s.acks,
      'enable.idempotence': s.idempotent,
      'linger.ms': s.lingerMs,
      'compression.codec': s.compression,
      'message.max.bytes': s.maxMessageBytes,
      ...(s.transactionalId === undefined
        ? {}
        : {
            'transactional.id': s.transactionalId,
            'transaction.timeout.ms': txnTimeout,
            // librdkafka requires socket.timeout.ms <= transaction.timeout.ms + 100.
            'socket.timeout.ms': Math.min(60_000, txnTimeout),
          }),
    },
    // Java-compatible: murmur2 of the key; keyless records spread randomly. A topic property:
    // the callback API ignores it among the global ones.
    { partitioner: 'murmur2_random' },
  );
  producer.on('event.error', (e) => logger.error(e.message, { code: e.code }));
  producer.on('delivery-report', (err, report) => {
    const d = report.opaque as Delivery | undefined;
    if (d === undefined) return;
    if (err) d.error ??= err;
    if (--d.remaining === 0) settle(d);
  });

  // Sends waiting for room in librdkafka's queue, oldest first.
  const waiting: Delivery[] = [];
  let retryTimer: NodeJS.Timeout | undefined;

  /** Enqueues what it can of the waiting sends, in order; retries shortly when the queue is full. */
  function pump(): void {
    retryTimer = undefined;
    while (waiting.length > 0) {
      const d = waiting[0] as Delivery;
      const { messages, topic } = d;
      for (; d.next < messages.length; d.next++) {
        const m = messages[d.next] as OutMessage;
        try {
          producer.produce(
            topic,
            m.partition ?? null,
            m.value,
            m.key,
            m.timestamp ?? null,
            d,
            nativeHeaders(m.headers),
          );
        } catch (error) {
          if ((error as NError).code === QUEUE_FULL) {
            retryTimer = setTimeout(pump, 2);
            return;
          }
          // Not enqueued: this record and the rest of the send fail; enqueued ones still report.
          d.error ??= error;
          d.remaining -= messages.length - d.next;
          d.next = messages.length;
          if (d.remaining === 0) settle(d);
        }
      }
      waiting.shift();
    }
  }

  function send(topic: string, messages: readonly OutMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      waiting.push({
        topic,
        messages,
        next: 0,
        remaining: messages.length,
        error: undefined,
        resolve,
        reject,
      });
      if (retryTimer === undefined) pump();
    });
  }

  const timeoutMs = Math.max(10_000, txnTimeout);
  return {
    async connect() {
      await trust();
      await logger.guard(() =>
        call((cb) => producer.connect({ timeout: 30_000 }, (err) => cb(err))),
      );
      producer.setPollInBackground(true);
      if (s.transactionalId !== undefined) {
        await logger.guard(() => call((cb) => producer.initTransactions(timeoutMs, cb)));
      }
    },
    send,
    async begin(): Promise<AdapterTransaction> {
      await call((cb) => producer.beginTransaction(cb));
      return {
        send,
        sendOffsets: (consumer, _groupId, offsets) =>
          call((cb) =>
            producer.sendOffsetsToTransaction(
              offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
              consumer.native as NConsumer,
              timeoutMs,
              cb,
            ),
          ),
        commit: () => call((cb) => producer.commitTransaction(timeoutMs, cb)),
        abort: () => call((cb) => producer.abortTransaction(timeoutMs, cb)),
      };
    },
    async disconnect() {
      clearTimeout(retryTimer);
      // The client flushes what is queued (up to 5 s) before it disconnects.
      await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
    },
  };
}
