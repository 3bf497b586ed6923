import type { Headers, Key, OutRecord, TRecord } from '@tributary/core';
import type { InBatch, InMessage, OutMessage } from './adapter.js';

function bytes(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value)
    ? value
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** Key as bytes (text as UTF-8), so Kafka's partitioner hashes what core's partitionFor hashes. */
export function encodeKey(key: Key): Buffer | null {
  if (key === null) return null;
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : bytes(key);
}

export function encodeHeaders(headers: Headers): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = typeof value === 'string' ? Buffer.from(value, 'utf8') : bytes(value);
  }
  return out;
}

/** An OutRecord whose value is already encoded, as the producer sends it. */
export function toOutMessage(record: OutRecord<unknown>, value: Buffer | null): OutMessage {
  return {
    key: encodeKey(record.key),
    value,
    headers: encodeHeaders(record.headers),
    timestamp: record.timestamp,
    ...(record.partition === undefined ? {} : { partition: record.partition }),
  };
}

/** A fetched message as the runtime sees it. */
export function toRecord(batch: InBatch, m: InMessage): TRecord<Uint8Array | null> {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: m.offset,
    key: m.key,
    value: m.value,
    headers: m.headers,
    timestamp: m.timestamp,
  };
}
