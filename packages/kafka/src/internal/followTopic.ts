import { randomUUID } from 'node:crypto';
import type { InMessage, PartitionWatermarks } from './adapter.js';
import type { BusContext } from './busContext.js';
import { tpKey } from './partitions.js';
import { retrying } from './retrying.js';

/** How {@link followTopic} reads. */
export interface FollowOptions {
  /** Names the throwaway consumer group (`<clientId>-<purpose>-<uuid>`). */
  readonly purpose: string;
  readonly partitions: readonly number[];
  /** Stop at the end offsets seen at the start (later records are not handed over), or keep following. */
  readonly untilEnd: boolean;
  /** Partitions handled at once by the consumer. Default: the bus's setting. */
  readonly concurrency?: number;
  /** The partitions' watermarks at the start, before any record is handed over. */
  onStart?(marks: readonly PartitionWatermarks[]): void;
  onMessage(partition: number, message: InMessage): void;
  /** Following past the end: the consumer failed (follow again to go on). */
  onCrash?(error: unknown): void;
}

/** A consumer reading a topic from its start. */
export interface TopicFollower {
  /**
   * Resolves once every partition was read to its last record at the start (transaction
   * markers past it count as read); rejects when the consumer fails or stops before that.
   */
  readonly caughtUp: Promise<void>;
  /** Closes the consumer; a follower still catching up rejects with `reason`. */
  stop(reason?: unknown): Promise<void>;
}

/**
 * Reads `partitions` of `topic` from their start with a throwaway consumer group that commits
 * nothing, handing every record to `onMessage`: the one way the package follows a topic to its
 * end, for a state restore (`untilEnd`) and for the model store's follower (which goes on).
 */
export async function followTopic(
  ctx: BusContext,
  topic: string,
  options: FollowOptions,
): Promise<TopicFollower> {
  const admin = await ctx.admin();
  // A topic created a moment ago may not have a leader yet: retriable errors are retried.
  const marks = (await retrying(() => admin.watermarks(topic))).filter((m) =>
    options.partitions.includes(m.partition),
  );
  options.onStart?.(marks);
  const wanted = new Set(options.partitions);
  // Partitions with records to read, and their end offsets: past the last committed record
  // where the client can tell (markers never arrive as records); kafkajs hands over fetches of
  // nothing but markers as empty batches, so the high watermark is reached there.
  const open = new Map(marks.filter((m) => m.high > m.low).map((m) => [m.partition, m.high]));
  if (admin.recordEnds !== undefined && open.size > 0) {
    const ranges = marks
      .filter((m) => open.has(m.partition))
      .map((m) => ({ topic, partition: m.partition, start: m.low, end: m.high }));
    const ends = await admin.recordEnds(ranges, true);
    for (const r of ranges) {
      const end = ends.get(tpKey(r)) ?? r.end;
      if (end > r.start) open.set(r.partition, end);
      else open.delete(r.partition);
    }
  }
  let caught = false;
  let resolve = () => {};
  let reject: (error: unknown) => void = () => {};
  const caughtUp = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  caughtUp.catch(() => undefined); // the caller awaits it; a settle before that must not be unhandled
  const settle = (error?: unknown) => {
    if (caught) return;
    caught = true;
    if (error === undefined) resolve();
    else reject(error);
  };
  if (open.size === 0 && options.untilEnd) {
    settle();
    return { caughtUp, stop: async () => {} };
  }
  const adapter = await ctx.adapter();
  const consumer = adapter.consumer({
    ...ctx.options.consumer,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    groupId: `${ctx.options.connection.clientId}-${options.purpose}-${randomUUID()}`,
    fromBeginning: true,
    maxBatchSize: 1000,
    readCommitted: true,
  });
  if (open.size === 0) settle();
  let stopped: Promise<void> | undefined;
  const stop = (reason?: unknown): Promise<void> => {
    settle(reason ?? new Error('stopped'));
    stopped ??= consumer.close().catch(() => undefined);
    return stopped;
  };
  consumer
    .start([topic], {
      async assigned() {},
      async revoked() {},
      async batch(batch) {
        if (batch.topic !== topic || !wanted.has(batch.partition)) return;
        const end = open.get(batch.partition);
        if (options.untilEnd && end === undefined) return; // already read to its end
        let position = 0;
        for (const m of batch.messages) {
          position = m.offset + 1;
          if (end !== undefined && options.untilEnd && m.offset >= end) continue;
          options.onMessage(batch.partition, m);
        }
        if (batch.lastOffset !== undefined) position = Math.max(position, batch.lastOffset + 1);
        if (end !== undefined && position >= end) {
          open.delete(batch.partition);
          if (open.size === 0) settle();
        }
      },
      crashed(error) {
        if (!caught) settle(error);
        else options.onCrash?.(error);
      },
    })
    .catch((error: unknown) => {
      settle(error);
      void stop();
    });
  return { caughtUp, stop };
}

/** Reads `partitions` of `topic` from their start to the end offsets seen now, handing every record to `onMessage`. */
export async function readToEnd(
  ctx: BusContext,
  topic: string,
  partitions: readonly number[],
  onMessage: (partition: number, message: InMessage) => void,
): Promise<void> {
  const follower = await followTopic(ctx, topic, {
    purpose: 'restore',
    partitions,
    untilEnd: true,
    onMessage,
  });
  try {
    await follower.caughtUp;
  } finally {
    await follower.stop();
  }
}
