import type { Bus, BusAdmin, SinkOptions, SourceOptions, StartFrom, TopicSpec } from './bus.js';
import { invalidOption, TributaryError } from './errors.js';
import { isThenable } from './internal/isThenable.js';
import { MemoryGroup, MemoryMember } from './internal/memoryGroup.js';
import { MemoryTopic } from './internal/memoryLog.js';
import { partitionFor } from './murmur2.js';
import type { Headers, Key, TopicPartitionOffset, TRecord } from './record.js';
import { type Bytes, type Deserializer, encodeValue, type Serializer } from './serde.js';
import type { Sink } from './sink.js';
import type { Source } from './source.js';

/** Options of {@link memoryBus}. */
export interface MemoryBusOptions {
  /** Partitions of topics created on first use. Default 1, as Kafka's `num.partitions`. */
  readonly partitions?: number;
  /** Create topics on first use (as Kafka's `auto.create.topics.enable`). Default true. */
  readonly autoCreateTopics?: boolean;
}

/** A record to put on a memory topic with {@link MemoryBus.produce}. */
export interface MemoryProduceRecord<V = unknown> {
  /** The record's key. Default `null` (no key). */
  readonly key?: Key;
  /** The value, encoded to bytes before it is stored. */
  readonly value: V;
  /** The record's headers. Default none. */
  readonly headers?: Headers;
  /** Milliseconds since the Unix epoch. Default the time of the call. */
  readonly timestamp?: number;
  /** Partition to append to. Default: by murmur2 of the key, or round-robin for no key. */
  readonly partition?: number;
}

/** Options of {@link MemoryBus.produce}. */
export interface MemoryProduceOptions<V> {
  /**
   * Encodes each value (synchronously), e.g. `jsonSerde()` or `json(schema)` from
   * @tributary/schema. Default: the sinks' default encoding ({@link encodeValue}).
   */
  readonly serde?: Serializer<V>;
}

/** The embedded bus, plus helpers to put records on topics and read them back in tests. */
export interface MemoryBus extends Bus<Bytes> {
  /**
   * Appends records (keyed ones placed by Kafka's murmur2 partitioner). Values are stored
   * as bytes, encoded by `options.serde` or as a sink without a serde encodes them (text
   * as UTF-8, objects as JSON), so sources read what they would read on Kafka.
   */
  produce<V = unknown>(
    topic: string,
    records: readonly MemoryProduceRecord<NoInfer<V>>[],
  ): TRecord<Bytes>[];
  /** Appends records whose values `options.serde` encodes (its type checks the values). */
  produce<V>(
    topic: string,
    records: readonly MemoryProduceRecord<V>[],
    options: MemoryProduceOptions<V>,
  ): TRecord<Bytes>[];
  /** Every record of a topic, partition by partition, in offset order, with raw values. */
  records(topic: string): TRecord<Bytes>[];
  /** Every record of a topic with values decoded (synchronously) by `serde`, e.g. `jsonSerde<T>()`. */
  records<V>(topic: string, serde: Deserializer<V>): TRecord<V>[];
}

/**
 * An in-process bus with Kafka's semantics where they matter: partitioned topics,
 * murmur2 key placement, consumer groups that rebalance as members come and go,
 * committed offsets, and replay from an offset or a timestamp. Like Kafka, it stores
 * values as bytes: sinks and `produce` encode them, sources decode them with their serde,
 * so a pipeline that passes its tests here reads the same values on Kafka.
 */
export function memoryBus(options: MemoryBusOptions = {}): MemoryBus {
  const defaultPartitions = options.partitions ?? 1;
  if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1) {
    throw invalidOption('partitions', 'an integer >= 1', options.partitions);
  }
  const autoCreate = options.autoCreateTopics ?? true;
  const topics = new Map<string, MemoryTopic>();
  const groups = new Map<string, MemoryGroup>();
  let members = 0;

  const create = (spec: TopicSpec): MemoryTopic => {
    const n = spec.partitions ?? defaultPartitions;
    if (!Number.isInteger(n) || n < 1) throw invalidOption('partitions', 'an integer >= 1', n);
    const topic = new MemoryTopic(spec.topic, n, spec.config ?? {});
    topics.set(spec.topic, topic);
    return topic;
  };
  const topic = (name: string): MemoryTopic => {
    const t = topics.get(name);
    if (t !== undefined) return t;
    if (!autoCreate) throw new TributaryError('TOPIC_NOT_FOUND', `topic "${name}" does not exist`);
    return create({ topic: name });
  };
  const group = (name: string): MemoryGroup => {
    let g = groups.get(name);
    if (g === undefined) {
      g = new MemoryGroup(name);
      groups.set(name, g);
    }
    return g;
  };
  // The value comes apart from the record, so callers do not copy each record to encode it.
  const append = (
    t: MemoryTopic,
    r: Omit<MemoryProduceRecord<unknown>, 'value'>,
    value: Bytes,
  ): TRecord<Bytes> => {
    const key = r.key ?? null;
    const partition =
      r.partition ?? (key === null ? t.nextPartition() : partitionFor(key, t.partitions.length));
    if (!Number.isInteger(partition) || partition < 0 || partition >= t.partitions.length) {
      throw new TributaryError(
        'INVALID_OPTION',
        `partition ${partition} is out of range for topic "${t.name}" (${t.partitions.length} partitions)`,
      );
    }
    return t.append(partition, {
      key,
      value,
      headers: r.headers ?? {},
      timestamp: r.timestamp ?? Date.now(),
    });
  };

  const admin: BusAdmin = {
    async ensureTopics(specs) {
      for (const spec of specs) if (!topics.has(spec.topic)) create(spec);
    },
    async deleteTopics(names) {
      for (const name of names) topics.delete(name);
    },
    async listTopics() {
      return [...topics.keys()].sort();
    },
    async partitions(name) {
      const t = topics.get(name);
      if (t === undefined)
        throw new TributaryError('TOPIC_NOT_FOUND', `topic "${name}" does not exist`);
      return t.partitions.length;
    },
    async offsets(name, at) {
      const t = topics.get(name);
      if (t === undefined)
        throw new TributaryError('TOPIC_NOT_FOUND', `topic "${name}" does not exist`);
      if (
        at !== 'earliest' &&
        at !== 'latest' &&
        typeof (at as { timestamp?: unknown } | null)?.timestamp !== 'number'
      ) {
        throw invalidOption('at', "'earliest', 'latest' or { timestamp }", at);
      }
      return t.partitions.map((_, partition) => ({
        topic: name,
        partition,
        offset: t.startOffset(partition, at),
      }));
    },
    async committed(groupName, topicName) {
      const out: TopicPartitionOffset[] = [];
      for (const [id, offset] of groups.get(groupName)?.committed ?? []) {
        const slash = id.lastIndexOf('/');
        if (id.slice(0, slash) === topicName) {
          out.push({ topic: topicName, partition: Number(id.slice(slash + 1)), offset });
        }
      }
      return out.sort((a, b) => a.partition - b.partition);
    },
    async resetOffsets(groupName, topicName, to) {
      const g = group(groupName);
      if (g.members.length > 0) {
        throw new TributaryError(
          'GROUP_NOT_EMPTY',
          `group "${groupName}" has ${g.members.length} active member(s); stop them before resetting offsets`,
        );
      }
      const t = topic(topicName);
      const targets: readonly TopicPartitionOffset[] = Array.isArray(to)
        ? (to as readonly TopicPartitionOffset[])
        : t.partitions.map((_, partition) => ({
            topic: topicName,
            partition,
            offset: t.startOffset(partition, to as StartFrom),
          }));
      for (const o of targets) g.committed.set(`${o.topic}/${o.partition}`, o.offset);
    },
  };

  return {
    kind: 'memory',
    admin,
    source<V>(o: SourceOptions<V, Bytes>): Source<V, Bytes> {
      const names = typeof o.topic === 'string' ? [o.topic] : [...o.topic];
      if (names.length === 0)
        throw invalidOption('topic', 'a topic name or a non-empty list', o.topic);
      if (typeof o.group !== 'string' || o.group === '')
        throw invalidOption('group', 'a non-empty string', o.group);
      const maxBatch = o.maxBatchSize ?? 500;
      if (!Number.isInteger(maxBatch) || maxBatch < 1)
        throw invalidOption('maxBatchSize', 'an integer >= 1', maxBatch);
      const deserialize = o.serde?.deserialize;
      return {
        name: `memory:${names.join(',')}@${o.group}`,
        decode: deserialize === undefined ? undefined : (raw) => deserialize(raw),
        async start(listener) {
          const member = new MemoryMember(
            `${o.group}-${++members}`,
            group(o.group),
            names.map(topic),
            listener,
            o.from ?? 'earliest',
            maxBatch,
            o.stopAtEnd ?? false,
          );
          await group(o.group).join(member);
          return member;
        },
      };
    },
    sink<V = unknown>(o: SinkOptions<V, Bytes>): Sink<V> {
      const serialize: (value: V) => Bytes | Promise<Bytes> = o.serde?.serialize ?? encodeValue;
      return {
        name: `memory:${o.topic}`,
        write: async (records) => {
          const t = topic(o.topic);
          // Serialise the whole batch first, so a failure appends nothing (no duplicates on retry).
          const values: Bytes[] = new Array(records.length);
          for (let i = 0; i < records.length; i++) {
            const v = serialize((records[i] as (typeof records)[number]).value);
            values[i] = bytesValue(isThenable(v) ? await v : v, o.topic);
          }
          for (let i = 0; i < records.length; i++) {
            append(t, records[i] as (typeof records)[number], values[i] as Bytes);
          }
          t.notify();
        },
      };
    },
    produce<V>(
      name: string,
      records: readonly MemoryProduceRecord<V>[],
      produceOptions: MemoryProduceOptions<V> = {},
    ): TRecord<Bytes>[] {
      const t = topic(name);
      const serialize: (value: V) => Bytes | Promise<Bytes> =
        produceOptions.serde?.serialize ?? encodeValue;
      // Encode everything first, so a bad value appends nothing.
      const values = records.map((r) =>
        bytesValue(synchronous(serialize(r.value), `produce("${name}")`, 'serialize'), name),
      );
      const out = records.map((r, i) => append(t, r, values[i] as Bytes));
      t.notify();
      return out;
    },
    records<V>(name: string, serde?: Deserializer<V>): TRecord<V>[] {
      const all = topics.get(name)?.partitions.flat() ?? [];
      if (serde === undefined) return all as TRecord<V>[];
      return all.map((r) => ({
        ...r,
        value: synchronous(serde.deserialize(r.value), `records("${name}")`, 'deserialize'),
      }));
    },
    async close() {
      for (const g of groups.values()) {
        for (const m of [...g.members]) await m.close();
      }
    },
  };
}

/** `value` unless it is a promise: produce and records are synchronous test helpers. */
function synchronous<T>(value: T | Promise<T>, call: string, method: string): T {
  if (isThenable(value)) {
    throw new TributaryError(
      'INVALID_OPTION',
      `${call}: the serde's ${method} returned a promise; use a synchronous serde here, or a sink/source`,
    );
  }
  return value;
}

/** A serialised value as the log stores it; anything but bytes or null is a serde defect. */
function bytesValue(value: unknown, topic: string): Bytes {
  if (value === null || value instanceof Uint8Array) return value;
  throw new TributaryError(
    'INVALID_OPTION',
    `topic "${topic}": a serde returned ${typeof value}, expected bytes (Uint8Array) or null`,
  );
}
