import { randomUUID } from 'node:crypto';
import { TributaryError } from '@tributary/core';
import type { ReadRange } from './adapter.js';
import type { ConfluentModule, NConsumer, NError } from './confluentTypes.js';
import { tpKey } from './partitions.js';

/** Offsets read back from a partition's end before it is read from its start. */
const TAIL = 1000;
/** Wait of one consume call that finds nothing, in ms. */
const CONSUME_WAIT_MS = 100;

/**
 * Where each range's records really end for a reader of the given isolation level: one past
 * the offset of the last record it is handed in `[start, end)`, or `start` when there is none.
 * A partition's end offset counts transaction markers (never handed over) and, read committed,
 * aborted records; librdkafka hides both without reporting their offsets, so a consumer of it
 * cannot tell from its records that it reached the end. This reads each range's tail (the whole
 * range when the tail holds no record) with a group-less consumer of its own and librdkafka's
 * end-of-partition events.
 */
export async function recordEnds(
  mod: ConfluentModule,
  config: Record<string, unknown>,
  ranges: readonly ReadRange[],
  readCommitted: boolean,
  timeoutMs: number,
): Promise<Map<string, number>> {
  const ends = new Map<string, number>();
  const open = ranges.filter((r) => r.end > r.start);
  for (const r of ranges) if (r.end <= r.start) ends.set(tpKey(r), r.start);
  if (open.length === 0) return ends;
  const consumer: NConsumer = new mod.KafkaConsumer(
    {
      ...config,
      // Only assign() is used: the group is never joined and nothing is committed.
      'group.id': `tributary-end-probe-${randomUUID()}`,
      'enable.auto.commit': false,
      'enable.partition.eof': true,
      'isolation.level': readCommitted ? 'read_committed' : 'read_uncommitted',
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: timeoutMs }, (err) => (err ? reject(err) : resolve())),
  );
  const deadline = Date.now() + timeoutMs;
  try {
    let pending = open.map((r) => ({ ...r, from: Math.max(r.start, r.end - TAIL) }));
    while (pending.length > 0) {
      const last = await lastRecords(consumer, pending, deadline);
      const again: typeof pending = [];
      for (const r of pending) {
        const offset = last.get(tpKey(r));
        if (offset !== undefined) ends.set(tpKey(r), offset + 1);
        else if (r.from > r.start) again.push({ ...r, from: r.start });
        else ends.set(tpKey(r), r.start);
      }
      pending = again;
    }
    return ends;
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

/** The offset of the last record below `end` from `from` on, per range (absent when none). */
async function lastRecords(
  consumer: NConsumer,
  ranges: readonly (ReadRange & { from: number })[],
  deadline: number,
): Promise<Map<string, number>> {
  const byKey = new Map(ranges.map((r) => [tpKey(r), r]));
  const open = new Set(byKey.keys());
  const last = new Map<string, number>();
  const onEof = (e: { topic: string; partition: number }) => open.delete(tpKey(e));
  consumer.on('partition.eof', onEof);
  consumer.setDefaultConsumeTimeout(CONSUME_WAIT_MS);
  consumer.assign(ranges.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.from })));
  try {
    while (open.size > 0) {
      if (Date.now() > deadline) {
        throw new TributaryError(
          'KAFKA_ADMIN_FAILED',
          'reading where the partitions end timed out',
          { details: { partitions: [...open] } },
        );
      }
      const messages = await new Promise<{ topic: string; partition: number; offset: number }[]>(
        (resolve, reject) =>
          consumer.consume(1000, (err: NError | null, m) => (err ? reject(err) : resolve(m))),
      );
      for (const m of messages) {
        const key = tpKey(m);
        const r = byKey.get(key);
        // Records of this call may come before an end event emitted during it: kept either way.
        if (r === undefined) continue;
        if (m.offset < r.end) last.set(key, Math.max(m.offset, last.get(key) ?? -1));
        // Past the end seen at the start (records written since): nothing more is wanted.
        if (m.offset >= r.end - 1) open.delete(key);
      }
    }
  } finally {
    consumer.removeListener('partition.eof', onEof);
    consumer.unassign();
  }
  return last;
}
