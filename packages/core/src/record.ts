/** Raw key bytes or text as a client hands it over; `null` when the record has no key. */
export type Key = string | Uint8Array | null;

/** One header value; Kafka headers are bytes, text is accepted for convenience. */
export type HeaderValue = string | Uint8Array;

/** Record headers, by name. */
export type Headers = Readonly<Record<string, HeaderValue>>;

/** A partition of a topic. */
export interface TopicPartition {
  /** Topic name. */
  readonly topic: string;
  /** Partition number within the topic, from 0. */
  readonly partition: number;
}

/**
 * A position to commit. Like Kafka, `offset` is the next offset to read:
 * committing `{ offset: 10 }` means records 0..9 are done.
 */
export interface TopicPartitionOffset extends TopicPartition {
  /** The next offset to read in the partition. */
  readonly offset: number;
}

/** A record read from a topic, with a typed value. */
export interface TRecord<V = unknown> {
  /** Topic the record was read from. */
  readonly topic: string;
  /** Partition the record was read from. */
  readonly partition: number;
  /** The record's offset in its partition. */
  readonly offset: number;
  /** The record's key; `null` when it has none. */
  readonly key: Key;
  /** The value, as decoded by the source's serde. */
  readonly value: V;
  /** The record's headers, by name. */
  readonly headers: Headers;
  /** Milliseconds since the Unix epoch (event or log-append time). */
  readonly timestamp: number;
}

/** A record handed to a sink. Unset fields are filled by the sink (e.g. the partitioner). */
export interface OutRecord<V = unknown> {
  /** Key to write; `null` for none. With `partition` unset, a key picks the partition by hash. */
  readonly key: Key;
  /** Value to write, encoded by the sink's serde. */
  readonly value: V;
  /** Headers to write, by name. */
  readonly headers: Headers;
  /** Milliseconds since the Unix epoch. */
  readonly timestamp: number;
  /** Partition to write to; unset lets the sink's partitioner choose. */
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
