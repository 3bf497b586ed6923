import {
  type SourceListener,
  type SourceSession,
  type StartFrom,
  sleep,
  type TopicPartitionOffset,
  type TRecord,
} from '@tributary/core';
import type { InBatch } from './adapter.js';
import type { BusContext } from './busContext.js';
import { toRecord } from './codec.js';
import { DelayedPause } from './delayedPause.js';
import { kafkaError } from './kafkaError.js';
import { plainPartitions, tpKey } from './partitions.js';
import { RebalanceGuard } from './rebalanceGuard.js';
import { seekToTimestamp } from './seekToTimestamp.js';
import { StopAtEnd } from './stopAtEnd.js';
import { withHeartbeat } from './withHeartbeat.js';

/** What a Kafka source delivers before its serde: the record's bytes, null for a tombstone. */
export type Raw = Uint8Array | null;

/**
 * Starts a consumer of `group` on `topics` and hands its batches to the runtime: per partition
 * in order, at most `maxBatch` records per delivery, dropping records the client fetches again
 * or fetched for partitions no longer owned. Commits and rebalances go through a
 * {@link RebalanceGuard}, pauses through a {@link DelayedPause}, `stopAtEnd` through
 * {@link StopAtEnd}.
 */
export async function startSource(
  ctx: BusContext,
  topics: readonly string[],
  group: string,
  from: StartFrom,
  maxBatch: number,
  stopAtEnd: boolean,
  listener: SourceListener<Raw>,
): Promise<SourceSession> {
  const adapter = await ctx.adapter();
  const settings = ctx.options.consumer;
  const readCommitted = settings.readCommitted || ctx.transactions !== undefined;
  const consumer = adapter.consumer({
    ...settings,
    groupId: group,
    fromBeginning: from !== 'latest',
    maxBatchSize: maxBatch,
    readCommitted,
    // Exactly-once revokes everything at once, so the open transaction is committed whole.
    cooperative: ctx.transactions === undefined,
    // Joins of several topics read partition p of each: one member must own all of them.
    copartitioned: new Set(topics).size > 1,
  });
  const heartbeatMs = settings.heartbeatIntervalMs;
  const guard = new RebalanceGuard({
    consumer,
    group,
    transactions: ctx.transactions,
    committed: async (tp) =>
      (await (await ctx.admin()).committed(group, tp.topic)).find(
        (o) => o.partition === tp.partition,
      ),
    wait: (ms, heartbeat) => withHeartbeat(sleep(ms), heartbeat, heartbeatMs),
    failed: (error) => listener.failed(error),
  });
  // Partitions reading from a timestamp: records below the sought offset are skipped until the seek lands.
  const minOffset = new Map<string, number>();
  // Where the partitions end now: the source stops there with `stopAtEnd`, and tells a
  // listener that wants to know when it caught up.
  const tracked =
    stopAtEnd || listener.caughtUp !== undefined
      ? await StopAtEnd.load(await ctx.admin(), topics, group, from, readCommitted, () => {
          listener.caughtUp?.();
          if (stopAtEnd) listener.ended();
        })
      : undefined;
  const end = stopAtEnd ? tracked : undefined;
  // Declared before the consumer starts: its rebalance callbacks read it.
  let closed = false;
  // Next offset to hand over per partition: a client may fetch records again after a
  // pause (the Confluent client rewinds to the last resolved batch); those are dropped.
  const nextOffset = new Map<string, number>();
  // Last high watermark per partition, for consumer lag.
  const ends = new Map<string, TopicPartitionOffset>();
  // Partitions this member owns now; batches of others (fetched before a revoke) are dropped.
  const owned = new Set<string>();
  const pauses = new DelayedPause(consumer, (key) => !closed && owned.has(key));

  await consumer
    .start(topics, {
      async assigned(tps) {
        const plain = plainPartitions(tps);
        for (const tp of plain) {
          nextOffset.delete(tpKey(tp));
          owned.add(tpKey(tp));
        }
        guard.assigned(plain);
        if (typeof from === 'object')
          await seekToTimestamp(
            await ctx.admin(),
            consumer,
            group,
            plain,
            from.timestamp,
            minOffset,
          );
        if (end !== undefined) consumer.pause(plain.filter((tp) => !end.has(tpKey(tp))));
        await listener.assigned(plain);
        guard.assignedDone();
      },
      rebalancing() {
        guard.rebalancing();
      },
      async revoked(tps) {
        const plain = plainPartitions(tps);
        for (const tp of plain) {
          nextOffset.delete(tpKey(tp));
          ends.delete(tpKey(tp));
          owned.delete(tpKey(tp));
        }
        await guard.revoked(
          plain,
          () => listener.revoked(plain),
          () => closed,
        );
      },
      async batch(batch: InBatch, heartbeat) {
        const key = tpKey(batch);
        if (batch.highWatermark !== undefined) {
          ends.set(key, {
            topic: batch.topic,
            partition: batch.partition,
            offset: batch.highWatermark,
          });
        }
        const skipTo = await guard.settle(batch, heartbeat, () => owned.has(key));
        if (skipTo !== undefined) {
          minOffset.set(key, skipTo.offset);
          return;
        }
        const min = Math.max(minOffset.get(key) ?? -1, nextOffset.get(key) ?? -1);
        const stopAt = end?.end(key);
        if (end !== undefined && stopAt === undefined) return; // already read to its end
        let messages = batch.messages.filter((m) => m.offset >= min);
        if (stopAt !== undefined) messages = messages.filter((m) => m.offset < stopAt);
        const catchUpAt = tracked?.end(key);
        for (let i = 0; i < messages.length; i += maxBatch) {
          await guard.open();
          if (!owned.has(key)) return;
          const records: TRecord<Raw>[] = messages
            .slice(i, i + maxBatch)
            .map((m) => toRecord(batch, m));
          const last = records[records.length - 1] as TRecord<Raw>;
          guard.delivered(batch, last.offset + 1);
          nextOffset.set(key, last.offset + 1);
          await withHeartbeat(listener.deliver(records), heartbeat, heartbeatMs);
        }
        // Transaction markers are never records; the client's last offset covers them.
        const lastOffset = batch.lastOffset ?? batch.messages[batch.messages.length - 1]?.offset;
        if (catchUpAt !== undefined && lastOffset !== undefined && lastOffset + 1 >= catchUpAt) {
          tracked?.done(key);
          if (end !== undefined) consumer.pause([batch]);
          tracked?.check();
        }
      },
      crashed(error) {
        listener.failed(
          kafkaError('KAFKA_CONSUMER_FAILED', `consumer of group ${group} failed`, error, {
            topics,
          }),
        );
      },
    })
    .catch(async (error: unknown) => {
      await consumer.close().catch(() => undefined);
      throw kafkaError(
        'KAFKA_CONNECTION_FAILED',
        `consumer of group ${group} could not start`,
        error,
        {
          topics,
          brokers: ctx.options.connection.brokers,
        },
      );
    });
  tracked?.check();

  return {
    async commit(offsets) {
      if (closed || offsets.length === 0) return;
      const plain = offsets.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        offset: o.offset,
      }));
      return guard.commit(plain);
    },
    pause(tps) {
      pauses.pause(tps);
    },
    endOffsets() {
      // In partition order, whatever order the client fetched them in.
      return [...ends.values()]
        .filter((o) => owned.has(tpKey(o)))
        .sort((a, b) =>
          a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
        );
    },
    resume(tps) {
      // Partitions read to their end stay paused.
      pauses.resume(tps, (key) => end !== undefined && !end.has(key));
    },
    async close() {
      if (closed) return;
      closed = true;
      pauses.close();
      guard.close();
      await consumer.close();
      await ctx.transactions?.abort();
    },
  };
}
