import type { TopicPartition } from '@tributary/core';
import type { AdapterAdmin, AdapterConsumer } from './adapter.js';
import { tpKey } from './partitions.js';

/**
 * Partitions without a committed offset start at the first record at or after `timestamp`;
 * `minOffset` gets each sought offset, so records fetched before the seek lands are skipped.
 */
export async function seekToTimestamp(
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
