import { randomUUID } from 'node:crypto';
import type { Bytes, StartFrom, TopicPartitionOffset, TRecord } from '@tributary/core';
import type { CliIo } from '../cliIo.js';
import type { Connection } from './connect.js';

/** Options of {@link readTopic}. */
export interface ReadTopicOptions {
  readonly topic: string;
  /** Where to start: the group's committed position wins when `group` has one. */
  readonly from: StartFrom;
  /** Keep reading new records (true) or stop at the end offsets seen at start. */
  readonly follow: boolean;
  /** Stop after this many records. */
  readonly max?: number | undefined;
  /** Stop after this long, in ms. */
  readonly timeoutMs?: number | undefined;
  /** A consumer group whose positions are committed at the end; default a throwaway one, never committed. */
  readonly group?: string | undefined;
}

/** Why {@link readTopic} stopped. */
export type ReadEnd = 'end' | 'max' | 'timeout' | 'interrupted';

/**
 * Reads a topic outside any pipeline, calling `onRecord` for each record in order (per
 * partition), until its end, `max` records, `timeoutMs` or an interrupt (Ctrl-C).
 */
export async function readTopic(
  conn: Connection,
  io: CliIo,
  options: ReadTopicOptions,
  onRecord: (record: TRecord<Bytes>) => Promise<void> | void,
): Promise<{ readonly count: number; readonly end: ReadEnd }> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  let count = 0;
  let stop: (end: ReadEnd) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const finished = new Promise<ReadEnd>((resolve, reject) => {
    stop = resolve;
    fail = reject;
  });
  if (max === 0) stop('max');
  const positions = new Map<string, TopicPartitionOffset>();
  const source = conn.bus.source({
    topic: options.topic,
    group: options.group ?? `tributary-cli-${randomUUID()}`,
    from: options.from,
    stopAtEnd: !options.follow,
  });
  let done = false;
  const session = await source.start({
    async deliver(records) {
      for (const r of records) {
        // Counted before the await: partitions are delivered concurrently (Kafka).
        if (done || count >= max) break;
        count++;
        await onRecord(r);
        positions.set(`${r.partition}`, {
          topic: r.topic,
          partition: r.partition,
          offset: r.offset + 1,
        });
      }
      if (count >= max) stop('max');
    },
    async assigned() {},
    async revoked() {},
    ended: () => stop('end'),
    failed: (error) => fail(error),
  });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => stop('timeout'), options.timeoutMs);
  // Dev mode: other processes append to the directory; load their records while following.
  const poll =
    options.follow && conn.kind === 'dev'
      ? setInterval(() => void conn.refresh().catch(fail), 250)
      : undefined;
  const unlisten = options.follow ? io.onInterrupt?.(() => stop('interrupted')) : undefined;
  try {
    const end = await finished;
    done = true;
    if (options.group !== undefined && positions.size > 0)
      await session.commit([...positions.values()]);
    return { count, end };
  } finally {
    done = true;
    clearTimeout(timer);
    clearInterval(poll);
    unlisten?.();
    await session.close();
  }
}
