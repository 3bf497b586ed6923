import { describe, expect, it } from 'vitest';
import { diffPartitions, groupByTopic, plainPartitions, tpKey } from './partitions.js';

describe('partitions', () => {
  it('diffs assignments', () => {
    const a = { topic: 'a', partition: 0 };
    const b = { topic: 'a', partition: 1 };
    const c = { topic: 'b', partition: 0 };
    expect(diffPartitions([a, b], [b, c])).toEqual({ added: [c], removed: [a] });
  });

  it('groups by topic in first-seen order and strips extra fields', () => {
    const grouped = groupByTopic([
      { topic: 'x', partition: 1 },
      { topic: 'y', partition: 0 },
      { topic: 'x', partition: 0 },
    ]);
    expect([...grouped.keys()]).toEqual(['x', 'y']);
    expect(grouped.get('x')?.map((t) => t.partition)).toEqual([1, 0]);
    const rich = [{ topic: 't', partition: 2, live: 9 }];
    expect(plainPartitions(rich)).toEqual([{ topic: 't', partition: 2 }]);
    expect(tpKey(rich[0] as { topic: string; partition: number })).toBe('t/2');
  });
});
