import { invalidOption, type OutRecord, type Sink, type SinkOptions } from '@tributary/core';
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
