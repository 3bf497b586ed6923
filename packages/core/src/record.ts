/** Raw key bytes or text as a client hands it over; `null` when the record has no key. */
export type Key = string | Uint8Array | null;

/** One header value; Kafka headers are bytes, text is accepted for convenience. */
export type HeaderValue = string | Uint8Array;

/** Record headers, by name. */
export type Headers = Readonly<Record<string, HeaderValue>>;

/** A partition of a topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * A position to commit. Like Kafka, `offset` is the next offset to read:
 * committing `{ offset: 10 }` means records 0..9 are done.
 */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
}

/** A record read from a topic, with a typed value. */
export interface TRecord<V = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Key;
  readonly value: V;
  readonly headers: Headers;
  /** Milliseconds since the Unix epoch (event or log-append time). */
  readonly timestamp: number;
}

/** A record handed to a sink. Unset fields are filled by the sink (e.g. the partitioner). */
export interface OutRecord<V = unknown> {
  readonly key: Key;
  readonly value: V;
  readonly headers: Headers;
  readonly timestamp: number;
  readonly partition?: number;
}

/** Stable string form of a key: text as is, bytes as latin1 so every byte survives. */
export function keyToString(key: Key): string {
  if (key === null) return '';
  if (typeof key === 'string') return key;
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
}

/** Key as bytes (UTF-8 for text), as Kafka's partitioner sees it. */
export function keyToBytes(key: Exclude<Key, null>): Uint8Array {
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
}

/** Header value as text (UTF-8 for bytes). */
export function headerToString(value: HeaderValue | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
}
