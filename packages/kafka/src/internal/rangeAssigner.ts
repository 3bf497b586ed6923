import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

/** A group member as an assignor sees it: its id and the topics it subscribed to. */
export interface Subscriber {
  readonly memberId: string;
  readonly topics: readonly string[];
}

/** Partitions per topic given to one member. */
export type MemberPartitions = Record<string, number[]>;

/**
 * Kafka's range assignment, as the Java client's and librdkafka's `range` assignor make it: per
 * topic, the members that subscribed to it, in member-id order, take consecutive ranges of its
 * partitions, `count / members` each and one more for the first `count % members`. Members with
 * the same subscription thus get the same partition numbers of every topic of the same partition
 * count (co-partitioned); of topics whose counts differ, partition p may go to different members.
 * Every member is in the result, with no partitions when there are fewer partitions than members.
 */
export function rangeAssignment(
  members: readonly Subscriber[],
  topics: readonly string[],
  partitionCount: (topic: string) => number,
): Map<string, MemberPartitions> {
  const sorted = [...members].sort((a, b) =>
    a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
  );
  const out = new Map<string, MemberPartitions>(sorted.map((m) => [m.memberId, {}]));
  for (const topic of topics) {
    const subscribers = sorted.filter((m) => m.topics.includes(topic));
    if (subscribers.length === 0) continue;
    const count = partitionCount(topic);
    const each = Math.floor(count / subscribers.length);
    const extra = count % subscribers.length;
    subscribers.forEach((member, i) => {
      const start = each * i + Math.min(i, extra);
      const length = each + (i < extra ? 1 : 0);
      if (length === 0) return;
      (out.get(member.memberId) as MemberPartitions)[topic] = Array.from(
        { length },
        (_, k) => start + k,
      );
    });
  }
  return out;
}

const VERSION = 0;
const NO_USER_DATA = Buffer.alloc(0);

/**
 * {@link rangeAssignment} as a kafkajs partition assigner (kafkajs ships round robin only, which
 * deals the partitions of all topics out in one sequence and so splits partition p of two topics
 * across members). Its protocol name is the standard `range`, the one librdkafka's assignor of
 * the same rule announces.
 */
export const kafkajsRangeAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'range',
  version: VERSION,
  async assign({ members, topics }) {
    const subscribers = members.map((m) => ({
      memberId: m.memberId,
      topics: AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? [],
    }));
    const assignment = rangeAssignment(
      subscribers,
      topics,
      (topic) => cluster.findTopicPartitionMetadata(topic).length,
    );
    return [...assignment].map(([memberId, partitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: VERSION,
        assignment: partitions,
        userData: NO_USER_DATA,
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: 'range',
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: VERSION,
        topics,
        userData: NO_USER_DATA,
      }),
    };
  },
});
