import { randomUUID } from 'node:crypto';
import type { InMessage } from './adapter.js';
import type { BusContext } from './busContext.js';
import { retrying } from './retrying.js';

/** Quiet time after which a partition counts as read (transaction markers never arrive as records). */
const IDLE_MS = 2000;

/**
 * Reads partitions of `topic` from their start to the end offsets seen now, with a
 * throwaway consumer group that commits nothing, and hands every record to `onMessage`.
 */
export async function readToEnd(
  ctx: BusContext,
  topic: string,
  partitions: readonly number[],
  onMessage: (partition: number, message: InMessage) => void,
): Promise<void> {
  const admin = await ctx.admin();
  // A changelog created a moment ago may not have a leader yet: retriable errors are retried.
  const marks = (await retrying(() => admin.watermarks(topic))).filter((m) =>
    partitions.includes(m.partition),
  );
  const open = new Map(marks.filter((m) => m.high > m.low).map((m) => [m.partition, m.high]));
  if (open.size === 0) return;
  const adapter = await ctx.adapter();
  const consumer = adapter.consumer({
    ...ctx.options.consumer,
    groupId: `${ctx.options.connection.clientId}-restore-${randomUUID()}`,
    fromBeginning: true,
    maxBatchSize: 1000,
    readCommitted: true,
  });
  let lastActivity = Date.now();
  let finish = () => {};
  let fail: (e: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const idle = setInterval(() => {
    if (Date.now() - lastActivity > IDLE_MS) finish();
  }, 250);
  try {
    await consumer.start([topic], {
      async assigned() {
        lastActivity = Date.now();
      },
      async revoked() {},
      async batch(batch) {
        lastActivity = Date.now();
        const end = open.get(batch.partition);
        if (end === undefined) return;
        for (const m of batch.messages) if (m.offset < end) onMessage(batch.partition, m);
        const last = batch.messages[batch.messages.length - 1];
        if (last !== undefined && last.offset + 1 >= end) {
          open.delete(batch.partition);
          if (open.size === 0) finish();
        }
      },
      crashed: (error) => fail(error),
    });
    await done;
  } finally {
    clearInterval(idle);
    await consumer.close().catch(() => undefined);
  }
}
