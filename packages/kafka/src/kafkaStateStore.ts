import {
  invalidOption,
  memoryStateStore,
  type StateStore,
  type TopicPartition,
} from '@tributary/core';
import type { OutMessage } from './internal/adapter.js';
import { readToEnd } from './internal/followTopic.js';
import { isTributaryErrorLike, kafkaError } from './internal/kafkaError.js';
import { tpKey } from './internal/partitions.js';
import { busContext, type KafkaBus } from './kafkaBus.js';

/** Options of {@link kafkaStateStore}. */
export interface KafkaStateStoreOptions {
  /** The compacted changelog topic, e.g. `orders-enricher-state`. Created when missing. */
  readonly topic: string;
  /** Partitions of a new changelog topic. Default: as many as the first assigned source topic. */
  readonly partitions?: number;
  /** Replication of a new changelog topic. Default -1 (the broker's default). */
  readonly replicationFactor?: number;
}

/**
 * Keyed state in memory, made durable in a compacted Kafka changelog topic: `flush`
 * (which the runtime awaits before each commit) writes the changes since the last one,
 * and `assign` restores a partition's state from the changelog, so state follows
 * partitions across workers and restarts. On an exactly-once bus the changes join the
 * transaction that commits the offsets.
 */
export function kafkaStateStore(bus: KafkaBus, options: KafkaStateStoreOptions): StateStore {
  if (typeof options?.topic !== 'string' || options.topic.length === 0) {
    throw invalidOption('topic', 'a changelog topic name', options?.topic);
  }
  const ctx = busContext(bus);
  const topic = options.topic;
  const memory = memoryStateStore();
  // Changes since the last flush, last write wins: changelog key → message.
  let dirty = new Map<string, { partition: number; key: Buffer; value: Buffer | null }>();
  let changelogPartitions: Promise<number> | undefined;

  const ensureChangelog = (source: TopicPartition): Promise<number> => {
    changelogPartitions ??= (async () => {
      const admin = await ctx.admin();
      const existing = await admin.partitionCount(topic);
      if (existing !== undefined) return existing;
      const partitions = options.partitions ?? (await admin.partitionCount(source.topic)) ?? 1;
      await admin.createTopics([
        {
          topic,
          partitions,
          replicationFactor: options.replicationFactor ?? -1,
          // A flush writes every changed key at once: let the topic take what the producer sends.
          config: {
            'cleanup.policy': 'compact',
            'max.message.bytes': String(ctx.options.producer.maxMessageBytes),
          },
        },
      ]);
      return partitions;
    })().catch((error: unknown) => {
      changelogPartitions = undefined;
      throw error;
    });
    return changelogPartitions;
  };

  const changelogKey = (tp: TopicPartition, namespace: string, key: string) =>
    JSON.stringify([tp.topic, tp.partition, namespace, key]);

  const record = (tp: TopicPartition, namespace: string, key: string, value: unknown) => {
    const k = changelogKey(tp, namespace, key);
    dirty.set(k, {
      partition: tp.partition,
      key: Buffer.from(k, 'utf8'),
      value: value === undefined ? null : Buffer.from(JSON.stringify(value), 'utf8'),
    });
  };

  const fail = (what: string, error: unknown) =>
    isTributaryErrorLike(error)
      ? error
      : kafkaError('KAFKA_STATE_FAILED', `state changelog ${topic}: ${what}`, error, { topic });

  return {
    name: `kafka:${topic}`,
    async assign(tps) {
      if (tps.length === 0) return;
      try {
        const n = await ensureChangelog(tps[0] as TopicPartition);
        const wanted = new Set(tps.map(tpKey));
        const restored = new Map<string, Record<string, Record<string, unknown>>>();
        for (const tp of tps) restored.set(tpKey(tp), {});
        await readToEnd(ctx, topic, [...new Set(tps.map((tp) => tp.partition % n))], (_p, m) => {
          if (m.key === null) return;
          const [t, p, ns, k] = JSON.parse(m.key.toString('utf8')) as [
            string,
            number,
            string,
            string,
          ];
          const id = tpKey({ topic: t, partition: p });
          if (!wanted.has(id)) return;
          const snap = restored.get(id) as Record<string, Record<string, unknown>>;
          snap[ns] ??= {};
          const space = snap[ns];
          if (m.value === null) delete space[k];
          else space[k] = JSON.parse(m.value.toString('utf8'));
        });
        for (const tp of tps) memory.restore(tp, restored.get(tpKey(tp)) ?? {});
      } catch (error) {
        throw fail('restore failed', error);
      }
    },
    async revoke(tps) {
      await this.flush();
      await memory.revoke(tps);
    },
    get: (tp, namespace, key) => memory.get(tp, namespace, key),
    set(tp, namespace, key, value) {
      memory.set(tp, namespace, key, value);
      record(tp, namespace, key, value);
    },
    delete(tp, namespace, key) {
      memory.delete(tp, namespace, key);
      record(tp, namespace, key, undefined);
    },
    async flush() {
      if (dirty.size === 0) return;
      const changes = dirty;
      dirty = new Map();
      try {
        const n = await (changelogPartitions ?? Promise.resolve(1));
        const messages: OutMessage[] = [...changes.values()].map((c) => ({
          key: c.key,
          value: c.value,
          headers: {},
          partition: c.partition % n,
        }));
        await ctx.write(topic, messages);
      } catch (error) {
        // Keep the changes (newer ones win) so the next flush retries them.
        for (const [k, c] of changes) if (!dirty.has(k)) dirty.set(k, c);
        throw fail('write failed', error);
      }
    },
    snapshot: (tp) => memory.snapshot(tp),
    restore(tp, snapshot) {
      memory.restore(tp, snapshot);
      for (const [ns, entries] of Object.entries(snapshot)) {
        for (const [k, v] of Object.entries(entries)) record(tp, ns, k, v);
      }
    },
    async close() {
      await memory.close();
    },
  };
}
