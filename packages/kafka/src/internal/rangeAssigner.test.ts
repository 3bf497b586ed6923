import { AssignerProtocol, type Cluster, type Logger } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkajsRangeAssigner, rangeAssignment } from './rangeAssigner.js';

const counts =
  (byTopic: Record<string, number>) =>
  (topic: string): number =>
    byTopic[topic] ?? 0;

describe('rangeAssignment', () => {
  it('gives each member the same partition numbers of topics of equal partition counts', () => {
    const members = [
      { memberId: 'm-b', topics: ['a', 'b'] },
      { memberId: 'm-a', topics: ['a', 'b'] },
    ];
    const out = rangeAssignment(members, ['a', 'b'], counts({ a: 3, b: 3 }));
    // Members in id order: the first takes the extra partition of each topic.
    expect(Object.fromEntries(out)).toEqual({
      'm-a': { a: [0, 1], b: [0, 1] },
      'm-b': { a: [2], b: [2] },
    });
  });

  it('co-partitions any number of members and topics of one count', () => {
    const members = Array.from({ length: 4 }, (_, i) => ({
      memberId: `m${(i * 7) % 4}`,
      topics: ['x', 'y', 'z'],
    }));
    const out = rangeAssignment(members, ['x', 'y', 'z'], () => 10);
    const all: number[] = [];
    for (const partitions of out.values()) {
      expect(partitions.y).toEqual(partitions.x);
      expect(partitions.z).toEqual(partitions.x);
      all.push(...(partitions.x ?? []));
    }
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, p) => p));
    expect(out.get('m0')?.x).toEqual([0, 1, 2]);
    expect(out.get('m3')?.x).toEqual([8, 9]);
  });

  it('splits topics of different counts by their own ranges, so partition p may part', () => {
    const members = [
      { memberId: 'm1', topics: ['a', 'b'] },
      { memberId: 'm2', topics: ['a', 'b'] },
    ];
    const out = rangeAssignment(members, ['a', 'b'], counts({ a: 4, b: 2 }));
    expect(Object.fromEntries(out)).toEqual({
      m1: { a: [0, 1], b: [0] },
      m2: { a: [2, 3], b: [1] },
    });
  });

  it('leaves members past the partition count empty, and a topic to its subscribers', () => {
    const members = [
      { memberId: 'm1', topics: ['a', 'b'] },
      { memberId: 'm2', topics: ['a'] },
      { memberId: 'm3', topics: ['a', 'b'] },
    ];
    const out = rangeAssignment(members, ['a', 'b'], counts({ a: 2, b: 2 }));
    expect(Object.fromEntries(out)).toEqual({
      m1: { a: [0], b: [0] },
      m2: { a: [1] },
      m3: { b: [1] },
    });
  });
});

describe('kafkajsRangeAssigner', () => {
  it("announces 'range' and assigns from the members' encoded subscriptions", async () => {
    const cluster = {
      findTopicPartitionMetadata: () => [0, 1, 2].map((partitionId) => ({ partitionId })),
    } as unknown as Cluster;
    const assigner = kafkajsRangeAssigner({ cluster, groupId: 'g', logger: {} as Logger });
    const state = assigner.protocol({ topics: ['a', 'b'] });
    expect(state.name).toBe('range');
    expect(assigner.name).toBe('range');
    const members = ['m2', 'm1'].map((memberId) => ({ memberId, memberMetadata: state.metadata }));
    const result = await assigner.assign({ members, topics: ['a', 'b'] });
    const decoded = Object.fromEntries(
      result.map((r) => [
        r.memberId,
        AssignerProtocol.MemberAssignment.decode(r.memberAssignment)?.assignment,
      ]),
    );
    expect(decoded).toEqual({ m1: { a: [0, 1], b: [0, 1] }, m2: { a: [2], b: [2] } });
  });
});
