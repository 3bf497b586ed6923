import {
  invalidOption,
  type Source,
  type SourceListener,
  type SourceOptions,
  type SourceSession,
  type StartFrom,
  type TopicPartition,
  type TopicPartitionOffset,
  type TRecord,
  TributaryError,
} from '@tributary/core';
import type { AdapterAdmin, AdapterConsumer, InBatch } from './adapter.js';
import type { BusContext } from './busContext.js';
import { toRecord } from './codec.js';
import { EosBarrier } from './eosBarrier.js';
import { isTributaryErrorLike, kafkaError } from './kafkaError.js';
import { plainPartitions, tpKey } from './partitions.js';

type Raw = Uint8Array | null;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Default most records per delivery. */
const MAX_BATCH = 500;
/** How long the runtime's pause must last before the client stops fetching. */
const PAUSE_DELAY_MS = 250;
/**
 * Exactly-once on a client without KIP-447 fencing (kafkajs): how long a newly assigned
 * partition waits before its committed offset is read again, so that a transaction the
 * previous owner had under way when the rebalance began has landed.
 */
const SETTLE_MS = 1000;

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

async function startSource(
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
  const consumer = adapter.consumer({
    ...settings,
    groupId: group,
    fromBeginning: from !== 'latest',
    maxBatchSize: maxBatch,
    readCommitted: settings.readCommitted || ctx.transactions !== undefined,
  });
  const eos = ctx.transactions === undefined ? undefined : new EosBarrier();
  // Partitions reading from a timestamp: records below the sought offset are skipped until the seek lands.
  const minOffset = new Map<string, number>();
  // stopAtEnd: end offsets of the partitions that still have records to deliver.
  const remaining = stopAtEnd
    ? await endOffsets(await ctx.admin(), topics, group, from).catch((error: unknown) => {
        if (isTributaryErrorLike(error)) throw error;
        throw kafkaError('KAFKA_ADMIN_FAILED', 'reading where the source ends failed', error, {
          topics,
          group,
        });
      })
    : undefined;
  let ended = false;
  // Declared before the consumer starts: its rebalance callbacks read it.
  let closed = false;
  const checkEnded = () => {
    if (remaining !== undefined && remaining.size === 0 && !ended) {
      ended = true;
      listener.ended();
    }
  };
  const heartbeatMs = settings.heartbeatIntervalMs;
  // Positions this member committed. A client that reports revocations after the rejoin
  // (kafkajs) refetches committed offsets then, and a fetch may miss a transactional commit
  // whose markers are not written yet; kept partitions are sought back to what we know.
  const ownCommits = new Map<string, TopicPartitionOffset>();
  let justRevoked = new Set<string>();
  // Next offset to hand over per partition: a client may fetch records again after a
  // pause (the Confluent client rewinds to the last resolved batch); those are dropped.
  const nextOffset = new Map<string, number>();
  // Exactly-once without KIP-447: newly assigned partitions whose committed offset is re-read.
  const unsettled = new Set<string>();
  // Last high watermark per partition, for consumer lag.
  const ends = new Map<string, TopicPartitionOffset>();
  // Partitions this member owns now; batches of others (fetched before a revoke) are dropped.
  const owned = new Set<string>();

  await consumer
    .start(topics, {
      async assigned(tps) {
        const plain = plainPartitions(tps);
        for (const tp of plain) {
          nextOffset.delete(tpKey(tp));
          owned.add(tpKey(tp));
          if (eos !== undefined && consumer.revokesAfterRejoin) unsettled.add(tpKey(tp));
        }
        if (consumer.revokesAfterRejoin) {
          const kept = new Set(plain.map(tpKey).filter((k) => justRevoked.has(k)));
          for (const key of [...ownCommits.keys()]) if (!kept.has(key)) ownCommits.delete(key);
          for (const o of ownCommits.values()) consumer.seek(o);
          justRevoked = new Set();
        }
        if (typeof from === 'object')
          await seekToTimestamp(
            await ctx.admin(),
            consumer,
            group,
            plain,
            from.timestamp,
            minOffset,
          );
        if (remaining !== undefined) {
          const done = plain.filter((tp) => !remaining.has(tpKey(tp)));
          consumer.pause(done);
        }
        await listener.assigned(plain);
        if (eos !== undefined) eos.rejoining = false;
      },
      rebalancing() {
        // No transaction commits until the revoke that follows the rejoin has aborted the
        // open one (the kept partitions are then re-read from this member's last commit).
        if (eos !== undefined) eos.rejoining = true;
      },
      async revoked(tps) {
        const plain = plainPartitions(tps);
        for (const tp of plain) {
          justRevoked.add(tpKey(tp));
          nextOffset.delete(tpKey(tp));
          ends.delete(tpKey(tp));
          owned.delete(tpKey(tp));
        }
        if (eos === undefined) return listener.revoked(plain);
        eos.revoked(plain);
        if (!consumer.revokesAfterRejoin) {
          await listener.revoked(plain);
          // The partitions go when this returns. Commit the open transaction with every done
          // offset now: a commit that found records in flight returned without committing,
          // and the runtime does not offer those offsets again, so outputs of these
          // partitions could otherwise stay in the transaction without their offsets (and
          // be written a second time by the next owner).
          if (!closed) await commitTransaction([]);
          return;
        }
        // Others may already read these partitions from the committed offsets: discard the
        // open transaction (its records are re-read, here or there) instead of committing it.
        eos.discarding = true;
        try {
          await listener.revoked(plain);
          await ctx.transactions?.abort();
        } finally {
          eos.discarded();
        }
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
        if (unsettled.has(key) && batch.messages.length > 0) {
          // The offsets this member was handed may predate a commit of the previous owner
          // that was under way at the rebalance (the broker cannot refuse it without KIP-447):
          // wait for it to land, then skip to the committed offset if it moved past the batch.
          await withHeartbeat(sleep(SETTLE_MS), heartbeat, heartbeatMs);
          unsettled.delete(key);
          const committed = (await (await ctx.admin()).committed(group, batch.topic)).find(
            (o) => o.partition === batch.partition,
          );
          const first = batch.messages[0] as InBatch['messages'][number];
          if (owned.has(key) && committed !== undefined && committed.offset > first.offset) {
            minOffset.set(key, committed.offset);
            consumer.seek(committed);
            return;
          }
        }
        const min = Math.max(minOffset.get(key) ?? -1, nextOffset.get(key) ?? -1);
        const end = remaining?.get(key);
        if (remaining !== undefined && end === undefined) return; // already read to its end
        let messages = batch.messages.filter((m) => m.offset >= min);
        if (end !== undefined) messages = messages.filter((m) => m.offset < end);
        for (let i = 0; i < messages.length; i += maxBatch) {
          if (eos !== undefined) await eos.open();
          if (!owned.has(key)) return;
          const records: TRecord<Raw>[] = messages
            .slice(i, i + maxBatch)
            .map((m) => toRecord(batch, m));
          const last = records[records.length - 1] as TRecord<Raw>;
          eos?.delivered(batch, last.offset + 1);
          nextOffset.set(key, last.offset + 1);
          await withHeartbeat(listener.deliver(records), heartbeat, heartbeatMs);
        }
        // Transaction markers are never records; the client's last offset covers them.
        const lastOffset = batch.lastOffset ?? batch.messages[batch.messages.length - 1]?.offset;
        if (end !== undefined && lastOffset !== undefined && lastOffset + 1 >= end) {
          remaining?.delete(key);
          consumer.pause([batch]);
          checkEnded();
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
  checkEnded();

  /**
   * Exactly-once: commits the open transaction with the done offsets once every delivered
   * record is done; resolves with the offsets committed (none while records are in flight).
   */
  async function commitTransaction(
    offsets: readonly TopicPartitionOffset[],
  ): Promise<TopicPartitionOffset[]> {
    if (eos === undefined || ctx.transactions === undefined) return [];
    if (eos.discarding || eos.rejoining) return [];
    const ready = eos.ready(offsets);
    if (ready === undefined) return []; // records in flight may already be in the transaction
    if (ready.length === 0 && !ctx.transactions.open) {
      eos.committed(); // nothing to commit; still forget revoked partitions
      return [];
    }
    try {
      await ctx.transactions.commit(consumer, group, ready);
      eos.committed();
      for (const o of ready) ownCommits.set(tpKey(o), o);
    } catch (error) {
      // The transaction was aborted: records marked done are gone, so this run cannot go on.
      listener.failed(error);
      throw error;
    }
    return ready;
  }
  const pausing = new Map<string, NodeJS.Timeout>();
  const pausedAtClient = new Set<string>();
  return {
    async commit(offsets) {
      if (closed || offsets.length === 0) return;
      const plain = offsets.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        offset: o.offset,
      }));
      if (eos !== undefined) return commitTransaction(plain);
      try {
        await consumer.commit(plain);
        for (const o of plain) ownCommits.set(tpKey(o), o);
      } catch (error) {
        throw kafkaError('KAFKA_COMMIT_FAILED', `commit for group ${group} failed`, error, {
          offsets: plain,
        });
      }
    },
    pause(tps) {
      // deliver() already blocks each partition's handler while the runtime is full, so
      // short blips need nothing more; a pause still in force after PAUSE_DELAY_MS stops
      // fetching. (Pausing the Confluent client drops its prefetched records, which are
      // then fetched again: costly when backpressure flickers.)
      for (const tp of plainPartitions(tps)) {
        const key = tpKey(tp);
        if (pausedAtClient.has(key) || pausing.has(key)) continue;
        const timer = setTimeout(() => {
          pausing.delete(key);
          if (closed || !owned.has(key)) return; // revoked or closed meanwhile
          pausedAtClient.add(key);
          consumer.pause([tp]);
        }, PAUSE_DELAY_MS);
        timer.unref();
        pausing.set(key, timer);
      }
    },
    endOffsets() {
      return [...ends.values()].filter((o) => owned.has(tpKey(o)));
    },
    resume(tps) {
      const resumed: TopicPartition[] = [];
      for (const tp of plainPartitions(tps)) {
        const key = tpKey(tp);
        clearTimeout(pausing.get(key));
        pausing.delete(key);
        // Partitions read to their end stay paused.
        if (pausedAtClient.delete(key) && (remaining === undefined || remaining.has(key)))
          resumed.push(tp);
      }
      consumer.resume(resumed);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of pausing.values()) clearTimeout(timer);
      eos?.release();
      await consumer.close();
      await ctx.transactions?.abort();
    },
  };
}

/** Keeps the member alive while the runtime holds a delivery (backpressure, slow stages). */
async function withHeartbeat<T>(
  work: Promise<T>,
  heartbeat: () => Promise<void>,
  everyMs: number,
): Promise<T> {
  const timer = setInterval(() => {
    heartbeat().catch(() => {
      // A rebalance is under way: the client rejoins after this batch.
    });
  }, everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** Where each partition starts (committed, else `from`) and ends; only partitions with records left. */
async function endOffsets(
  admin: AdapterAdmin,
  topics: readonly string[],
  group: string,
  from: StartFrom,
): Promise<Map<string, number>> {
  const remaining = new Map<string, number>();
  for (const topic of topics) {
    if ((await admin.partitionCount(topic)) === undefined) {
      throw new TributaryError('TOPIC_NOT_FOUND', `topic ${topic} does not exist`, {
        details: { topic },
      });
    }
    const marks = await admin.watermarks(topic);
    const committed = new Map(
      (await admin.committed(group, topic)).map((o) => [o.partition, o.offset]),
    );
    const byTime =
      typeof from === 'object'
        ? new Map(
            (await admin.offsetsForTimestamp(topic, from.timestamp)).map((o) => [
              o.partition,
              o.offset,
            ]),
          )
        : undefined;
    for (const m of marks) {
      const start =
        committed.get(m.partition) ??
        (from === 'earliest'
          ? m.low
          : from === 'latest'
            ? m.high
            : (byTime?.get(m.partition) ?? m.high));
      if (start < m.high) remaining.set(tpKey({ topic, partition: m.partition }), m.high);
    }
  }
  return remaining;
}

/** Partitions without a committed offset start at the first record at or after `timestamp`. */
async function seekToTimestamp(
  admin: AdapterAdmin,
  consumer: AdapterConsumer,
  group: string,
  tps: readonly TopicPartition[],
  timestamp: number,
  minOffset: Map<string, number>,
): Promise<void> {
  for (const topic of new Set(tps.map((tp) => tp.topic))) {
    const committed = new Set((await admin.committed(group, topic)).map((o) => o.partition));
    const targets = await admin.offsetsForTimestamp(topic, timestamp);
    for (const t of targets) {
      if (
        committed.has(t.partition) ||
        !tps.some((tp) => tp.topic === topic && tp.partition === t.partition)
      )
        continue;
      minOffset.set(tpKey(t), t.offset);
      consumer.seek(t);
    }
  }
}
