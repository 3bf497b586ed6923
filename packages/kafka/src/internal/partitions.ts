import type { TopicPartition } from '@tributary/core';

/** `topic/partition`, the key partitions are tracked by. */
export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}/${tp.partition}`;
}

/** Items grouped by topic, in first-seen order. */
export function groupByTopic<T extends TopicPartition>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.topic);
    if (list === undefined) out.set(item.topic, [item]);
    else list.push(item);
  }
  return out;
}

/** Partitions only in `next` (added) and only in `prev` (removed). */
export function diffPartitions(
  prev: readonly TopicPartition[],
  next: readonly TopicPartition[],
): { added: TopicPartition[]; removed: TopicPartition[] } {
  const before = new Set(prev.map(tpKey));
  const after = new Set(next.map(tpKey));
  return {
    added: next.filter((tp) => !before.has(tpKey(tp))),
    removed: prev.filter((tp) => !after.has(tpKey(tp))),
  };
}

/** Plain `{ topic, partition }` copies (callers may pass richer objects). */
export function plainPartitions(tps: readonly TopicPartition[]): TopicPartition[] {
  return tps.map((tp) => ({ topic: tp.topic, partition: tp.partition }));
}
