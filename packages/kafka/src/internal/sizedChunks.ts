import type { OutMessage } from './adapter.js';
import { approximateSize } from './kafkaSink.js';

/**
 * `messages` cut, in order, into runs of at most `limit` approximate bytes each (a message
 * larger than `limit` alone in its run). kafkajs puts all of one send's records for a
 * partition into one batch, which the broker refuses past the topic's `max.message.bytes`;
 * librdkafka splits batches itself.
 */
export function sizedChunks(messages: readonly OutMessage[], limit: number): OutMessage[][] {
  const chunks: OutMessage[][] = [];
  let chunk: OutMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = approximateSize(m);
    if (chunk.length > 0 && bytes + size > limit) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
