import {
  type BusAdmin,
  invalidOption,
  type StartFrom,
  type TopicPartitionOffset,
  type TopicSpec,
  TributaryError,
} from '@tributary/core';
import type { AdapterAdmin } from './adapter.js';
import type { BusContext } from './busContext.js';
import { isTributaryErrorLike, kafkaError } from './kafkaError.js';

async function call<T>(
  ctx: BusContext,
  what: string,
  fn: (admin: AdapterAdmin) => Promise<T>,
): Promise<T> {
  try {
    return await fn(await ctx.admin());
  } catch (error) {
    if (isTributaryErrorLike(error)) throw error;
    throw kafkaError('KAFKA_ADMIN_FAILED', `${what} failed`, error);
  }
}

function checkSpec(spec: TopicSpec, i: number): void {
  if (typeof spec.topic !== 'string' || spec.topic.length === 0) {
    throw invalidOption(`topics[${i}].topic`, 'a topic name', spec.topic);
  }
  if (
    spec.partitions !== undefined &&
    (!Number.isInteger(spec.partitions) || spec.partitions < 1)
  ) {
    throw invalidOption(`topics[${i}].partitions`, 'an integer >= 1', spec.partitions);
  }
  if (
    spec.replicationFactor !== undefined &&
    (!Number.isInteger(spec.replicationFactor) ||
      (spec.replicationFactor < 1 && spec.replicationFactor !== -1))
  ) {
    throw invalidOption(
      `topics[${i}].replicationFactor`,
      'an integer >= 1 (or -1, the broker default)',
      spec.replicationFactor,
    );
  }
}

/** Topic and group administration over the bus's admin client. */
export function kafkaAdmin(ctx: BusContext): BusAdmin {
  const partitions = async (topic: string): Promise<number> => {
    const n = await call(ctx, `partitions of ${topic}`, (a) => a.partitionCount(topic));
    if (n === undefined)
      throw new TributaryError('TOPIC_NOT_FOUND', `topic ${topic} does not exist`, {
        details: { topic },
      });
    return n;
  };
  return {
    async ensureTopics(topics) {
      topics.forEach(checkSpec);
      await call(ctx, 'creating topics', (a) =>
        a.createTopics(
          topics.map((t) => ({
            topic: t.topic,
            partitions: t.partitions ?? 1,
            replicationFactor: t.replicationFactor ?? -1,
            config: t.config ?? {},
          })),
        ),
      );
    },
    deleteTopics: (topics) => call(ctx, 'deleting topics', (a) => a.deleteTopics(topics)),
    // Internal topics (__consumer_offsets, __transaction_state, ...) are not the user's.
    listTopics: () =>
      call(ctx, 'listing topics', async (a) =>
        (await a.listTopics()).filter((t) => !t.startsWith('__')).sort(),
      ),
    partitions,
    async offsets(topic, at) {
      await partitions(topic);
      const offsets = await call(ctx, `offsets of ${topic}`, (a) => targetOffsets(a, topic, at));
      return offsets.sort((x, y) => x.partition - y.partition);
    },
    committed: (group, topic) =>
      call(ctx, `committed offsets of ${group}`, async (a) =>
        (await a.committed(group, topic)).sort((x, y) => x.partition - y.partition),
      ),
    async resetOffsets(group, topic, to) {
      await partitions(topic);
      const offsets = await call(ctx, `resetting offsets of ${group}`, (a) =>
        targetOffsets(a, topic, to),
      );
      await call(ctx, `resetting offsets of ${group}`, (a) => a.setOffsets(group, offsets));
    },
  };
}

async function targetOffsets(
  admin: AdapterAdmin,
  topic: string,
  to: StartFrom | readonly TopicPartitionOffset[],
): Promise<TopicPartitionOffset[]> {
  if (Array.isArray(to)) return (to as readonly TopicPartitionOffset[]).map((o) => ({ ...o }));
  if (to === 'earliest' || to === 'latest') {
    const marks = await admin.watermarks(topic);
    return marks.map((m) => ({
      topic,
      partition: m.partition,
      offset: to === 'earliest' ? m.low : m.high,
    }));
  }
  if (typeof to === 'object' && to !== null && 'timestamp' in to) {
    return admin.offsetsForTimestamp(topic, to.timestamp);
  }
  throw invalidOption('to', "'earliest', 'latest', { timestamp } or offsets", to);
}
