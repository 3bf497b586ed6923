import {
  encodeValue,
  invalidOption,
  type OutRecord,
  type Sink,
  type SinkOptions,
  TributaryError,
} from '@tributary/core';
import type { OutMessage } from './adapter.js';
import type { BusContext } from './busContext.js';
import { toOutMessage } from './codec.js';
import { isTributaryErrorLike, kafkaError } from './kafkaError.js';

type Raw = Uint8Array | null;

/** A Kafka topic as a Tributary sink; `write` resolves once the broker acknowledged every record. */
export function kafkaSink<V>(
  ctx: BusContext,
  options: SinkOptions<V, Raw>,
  name?: string,
): Sink<V> {
  const topic = options.topic;
  if (typeof topic !== 'string' || topic.length === 0)
    throw invalidOption('topic', 'a topic name', topic);
  const serialize = options.serde?.serialize;
  // Several writes may be under way on the Confluent client: librdkafka enqueues records in
  // call order and its idempotent producer keeps that order per partition. kafkajs' idempotent
  // producer needs one request at a time, so it writes one batch after the other.
  const writeConcurrency =
    ctx.options.client === 'kafkajs' ? 1 : ctx.options.producer.writeConcurrency;
  // Sends start in call order even when a serde is asynchronous.
  let turn: Promise<unknown> = Promise.resolve();
  return {
    name: name ?? `kafka:${topic}`,
    writeConcurrency,
    async open() {
      await ctx.producer();
    },
    write: async (records: readonly OutRecord<V>[]) => {
      if (records.length === 0) return;
      const encoded = encodeAll(records, serialize);
      const mine = turn.then(() => encoded);
      turn = mine.catch(() => undefined);
      const messages = await mine;
      // Checked before sending so no record of the batch is written (and duplicated by a
      // retry or a dead letter) when one is too large; both clients fail alike.
      const limit = ctx.options.producer.maxMessageBytes;
      const tooLarge = messages.findIndex((m) => approximateSize(m) > limit);
      if (tooLarge >= 0) {
        const bytes = approximateSize(messages[tooLarge] as OutMessage);
        throw new TributaryError(
          'KAFKA_RECORD_TOO_LARGE',
          `record ${tooLarge} of ${records.length} for ${topic} is about ${bytes} bytes; producer.maxMessageBytes is ${limit}`,
          { details: { topic, index: tooLarge, bytes, limit } },
        );
      }
      try {
        await ctx.write(topic, messages);
      } catch (error) {
        if (isTributaryErrorLike(error)) throw error;
        throw kafkaError(
          'KAFKA_DELIVERY_FAILED',
          `writing ${records.length} record(s) to ${topic} failed`,
          error,
          {
            topic,
            records: records.length,
          },
        );
      }
    },
  };
}

/**
 * The batch's records encoded. A synchronous serde (or none) encodes in one loop; only a
 * serde that returns promises costs a promise per record.
 */
function encodeAll<V>(
  records: readonly OutRecord<V>[],
  serialize: ((value: V) => unknown) | undefined,
): OutMessage[] | Promise<OutMessage[]> {
  const out: OutMessage[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as OutRecord<V>;
    const raw = serialize === undefined ? r.value : serialize(r.value);
    if (raw instanceof Promise)
      return encodeRest(records, serialize as (v: V) => unknown, out, i, raw);
    out[i] = toOutMessage(r, encodeValue(raw));
  }
  return out;
}

/** The rest of {@link encodeAll} from record `i`, whose serialisation `first` is under way. */
async function encodeRest<V>(
  records: readonly OutRecord<V>[],
  serialize: (value: V) => unknown,
  out: OutMessage[],
  i: number,
  first: Promise<unknown>,
): Promise<OutMessage[]> {
  const rest = records.slice(i);
  const values = await Promise.all(rest.map((r, j) => (j === 0 ? first : serialize(r.value))));
  rest.forEach((r, j) => {
    out[i + j] = toOutMessage(r, encodeValue(values[j]));
  });
  return out;
}

/** Bytes a record takes in a batch, near enough: payload plus per-record overhead. */
export function approximateSize(m: OutMessage): number {
  let size = 70 + (m.key?.length ?? 0) + (m.value?.length ?? 0);
  for (const [name, value] of Object.entries(m.headers)) size += name.length + value.length + 10;
  return size;
}
