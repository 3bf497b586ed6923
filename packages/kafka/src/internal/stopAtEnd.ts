import { type StartFrom, TributaryError } from '@tributary/core';
import type { AdapterAdmin, ReadRange } from './adapter.js';
import { isTributaryErrorLike, kafkaError } from './kafkaError.js';
import { tpKey } from './partitions.js';

/**
 * `stopAtEnd`: the end offsets, read at start, of the partitions that still have records to
 * deliver; the source ends once every one was read to its end. An end is that of the last
 * record a reader is handed: markers and aborted records after it never arrive as records.
 */
export class StopAtEnd {
  private ended = false;

  private constructor(
    private readonly remaining: Map<string, number>,
    private readonly onEnded: () => void,
  ) {}

  /** Reads where each partition of `topics` starts for `group` and where it ends now. */
  static async load(
    admin: AdapterAdmin,
    topics: readonly string[],
    group: string,
    from: StartFrom,
    readCommitted: boolean,
    onEnded: () => void,
  ): Promise<StopAtEnd> {
    const remaining = await endOffsets(admin, topics, group, from, readCommitted).catch(
      (error: unknown) => {
        if (isTributaryErrorLike(error)) throw error;
        throw kafkaError('KAFKA_ADMIN_FAILED', 'reading where the source ends failed', error, {
          topics,
          group,
        });
      },
    );
    return new StopAtEnd(remaining, onEnded);
  }

  /** True while the partition `key` has records left. */
  has(key: string): boolean {
    return this.remaining.has(key);
  }

  /** The end offset of partition `key`; undefined once it was read to its end. */
  end(key: string): number | undefined {
    return this.remaining.get(key);
  }

  /** Partition `key` was read to its end. */
  done(key: string): void {
    this.remaining.delete(key);
  }

  /** Ends the source (once) when no partition has records left. */
  check(): void {
    if (this.remaining.size === 0 && !this.ended) {
      this.ended = true;
      this.onEnded();
    }
  }
}

/**
 * Where each partition starts (committed, else `from`) and where its records end; only
 * partitions with records left.
 */
async function endOffsets(
  admin: AdapterAdmin,
  topics: readonly string[],
  group: string,
  from: StartFrom,
  readCommitted: boolean,
): Promise<Map<string, number>> {
  const ranges: ReadRange[] = [];
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
      if (start < m.high) ranges.push({ topic, partition: m.partition, start, end: m.high });
    }
  }
  // Transaction markers at a partition's end are never delivered: where the client cannot see
  // past them (librdkafka), the end is that of its last record.
  const ends =
    admin.recordEnds === undefined || ranges.length === 0
      ? undefined
      : await admin.recordEnds(ranges, readCommitted);
  const remaining = new Map<string, number>();
  for (const r of ranges) {
    const end = ends === undefined ? r.end : (ends.get(tpKey(r)) ?? r.end);
    if (r.start < end) remaining.set(tpKey(r), end);
  }
  return remaining;
}
