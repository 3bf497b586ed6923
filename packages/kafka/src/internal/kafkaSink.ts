import {
  invalidOption,
  type OutRecord,
  type Sink,
  type SinkOptions,
  TributaryError,
} from '@tributary/core';
import type { OutMessage } from './adapter.js';
import type { BusContext } from './busContext.js';
import { encodeValue, toOutMessage } from './codec.js';
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
  return {
    name: name ?? `kafka:${topic}`,
    async open() {
      await ctx.producer();
    },
    write: async (records: readonly OutRecord<V>[]) => {
      if (records.length === 0) return;
      const messages = await Promise.all(
        records.map(async (r) => {
          const raw = serialize === undefined ? r.value : await serialize(r.value);
          return toOutMessage(r, encodeValue(raw));
        }),
      );
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

/** Bytes a record takes in a batch, near enough: payload plus per-record overhead. */
function approximateSize(m: OutMessage): number {
  let size = 70 + (m.key?.length ?? 0) + (m.value?.length ?? 0);
  for (const [name, value] of Object.entries(m.headers)) size += name.length + value.length + 10;
  return size;
}
