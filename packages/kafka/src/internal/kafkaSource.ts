import { invalidOption, type Source, type SourceOptions, type StartFrom } from '@tributary/core';
import type { BusContext } from './busContext.js';
import { type Raw, startSource } from './sourceSession.js';

/** Default most records per delivery. */
const MAX_BATCH = 500;

function checkFrom(from: StartFrom | undefined): StartFrom {
  if (from === undefined) return 'earliest';
  if (from === 'earliest' || from === 'latest') return from;
  if (typeof from === 'object' && from !== null && Number.isFinite(from.timestamp)) return from;
  throw invalidOption('from', "'earliest', 'latest' or { timestamp }", from);
}

/** A Kafka topic (or topics) read by a consumer group, as a Tributary source. */
export function kafkaSource<V>(ctx: BusContext, options: SourceOptions<V, Raw>): Source<V, Raw> {
  const topics = typeof options.topic === 'string' ? [options.topic] : [...(options.topic ?? [])];
  if (topics.length === 0 || !topics.every((t) => typeof t === 'string' && t.length > 0)) {
    throw invalidOption('topic', 'a topic name or a non-empty list of them', options.topic);
  }
  if (typeof options.group !== 'string' || options.group.length === 0) {
    throw invalidOption('group', 'a non-empty consumer group id', options.group);
  }
  const from = checkFrom(options.from);
  const maxBatch = options.maxBatchSize ?? MAX_BATCH;
  if (!Number.isInteger(maxBatch) || maxBatch < 1)
    throw invalidOption('maxBatchSize', 'an integer >= 1', maxBatch);
  const serde = options.serde;
  return {
    name: `kafka:${topics.join(',')}`,
    decode: serde === undefined ? undefined : (raw) => serde.deserialize(raw as Raw),
    start: (listener) =>
      startSource(ctx, topics, options.group, from, maxBatch, options.stopAtEnd === true, listener),
  };
}
