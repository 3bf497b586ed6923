import type { TopicPartition, TopicPartitionOffset } from '@tributary/core';
import type { AdapterAdmin, InBatch, NewTopic, OutMessage } from './adapter.js';
import { groupByTopic } from './partitions.js';

/**
 * Conversions to and from the KafkaJS API shape, which kafkajs and the Confluent
 * client's KafkaJS-compatible API share.
 */

/** Topics to create as `{ topic, numPartitions, replicationFactor, configEntries }` entries. */
export function kjsNewTopics(topics: readonly NewTopic[]) {
  return topics.map((t) => ({
    topic: t.topic,
    numPartitions: t.partitions,
    replicationFactor: t.replicationFactor,
    configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
  }));
}

/** Offsets as `{ topic, partitions: [{ partition, offset: string }] }` lists. */
export function offsetsByTopic(offsets: readonly TopicPartitionOffset[]) {
  return [...groupByTopic(offsets)].map(([topic, list]) => ({
    topic,
    partitions: list.map((o) => ({ partition: o.partition, offset: String(o.offset) })),
  }));
}

/** Partitions as `{ topic, partitions: number[] }` lists (pause/resume). */
export function partitionsByTopic(tps: readonly TopicPartition[]) {
  return [...groupByTopic(tps)].map(([topic, list]) => ({
    topic,
    partitions: list.map((tp) => tp.partition),
  }));
}

/** Offsets as flat `{ topic, partition, offset: string }` entries (commitOffsets, seek). */
export function flatOffsets(offsets: readonly TopicPartitionOffset[]) {
  return offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) }));
}

/** Header values arrive as Buffer, string or arrays of them; keep the last, as bytes. */
function headerBytes(headers: Record<string, unknown> | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  if (headers === undefined) return out;
  for (const [name, raw] of Object.entries(headers)) {
    const value: unknown = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof value === 'string') out[name] = Buffer.from(value, 'utf8');
    else if (Buffer.isBuffer(value)) out[name] = value;
  }
  return out;
}

/** A fetched batch as both clients hand it to `eachBatch` (offsets and marks as strings). */
interface KjsBatch {
  topic: string;
  partition: number;
  messages: {
    offset: string;
    key?: Buffer | null | undefined;
    value: Buffer | null | undefined;
    headers?: Record<string, unknown> | undefined;
    timestamp: string;
  }[];
  /** Unknown to the Confluent client at first ('-1001'). */
  highWatermark?: string | undefined;
}

/** A fetched batch in the adapter's shape; `lastOffset` when the client knows it. */
export function inBatch(batch: KjsBatch, lastOffset?: number): InBatch {
  const highWatermark = Number(batch.highWatermark ?? -1);
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages: batch.messages.map((m) => ({
      offset: Number(m.offset),
      key: m.key ?? null,
      value: m.value ?? null,
      headers: headerBytes(m.headers),
      timestamp: Number(m.timestamp),
    })),
    ...(lastOffset === undefined ? {} : { lastOffset }),
    ...(highWatermark >= 0 ? { highWatermark } : {}),
  };
}

/** Producer messages with timestamps as strings, as both clients expect. */
export function kjsMessages(messages: readonly OutMessage[]) {
  return messages.map((m) => ({
    key: m.key,
    value: m.value,
    headers: m.headers,
    ...(m.timestamp === undefined ? {} : { timestamp: String(m.timestamp) }),
    ...(m.partition === undefined ? {} : { partition: m.partition }),
  }));
}

/** The admin reads whose calls and answers are the same in both clients. */
interface KjsAdminReads {
  listTopics(): Promise<string[]>;
  fetchTopicOffsets(topic: string): Promise<{ partition: number; high: string; low: string }[]>;
  fetchTopicOffsetsByTimestamp(
    topic: string,
    ts?: number,
  ): Promise<{ partition: number; offset: string }[]>;
  fetchOffsets(o: {
    groupId: string;
    topics: string[];
  }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

export function adminReads(
  admin: KjsAdminReads,
): Pick<AdapterAdmin, 'listTopics' | 'watermarks' | 'offsetsForTimestamp' | 'committed'> {
  return {
    listTopics: () => admin.listTopics(),
    async watermarks(topic) {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.map((o) => ({
        partition: o.partition,
        low: Number(o.low),
        high: Number(o.high),
      }));
    },
    async offsetsForTimestamp(topic, timestamp) {
      const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
      return offsets.map((o) => ({ topic, partition: o.partition, offset: Number(o.offset) }));
    },
    async committed(groupId, topic) {
      const result = await admin.fetchOffsets({ groupId, topics: [topic] });
      // '-1' marks a partition without a committed offset.
      return (result[0]?.partitions ?? [])
        .filter((p) => Number(p.offset) >= 0)
        .map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) }));
    },
  };
}
