import type { StartFrom } from '../bus.js';
import { TributaryError } from '../errors.js';
import type { TopicPartition, TopicPartitionOffset, TRecord } from '../record.js';
import type { SourceListener, SourceSession } from '../source.js';
import type { MemoryTopic } from './memoryLog.js';

const tpId = (tp: TopicPartition) => `${tp.topic}/${tp.partition}`;

/** One running source in a group. */
export class MemoryMember implements SourceSession {
  assigned: TopicPartition[] = [];
  readonly positions = new Map<string, number>();
  readonly paused = new Set<string>();
  closed = false;
  private generation = 0;
  private wake: () => void = () => {};
  private stopOffsets: Map<string, number> | undefined;
  // End offsets at the start, for `caughtUp` (the stop offsets with `stopAtEnd`).
  private catchUpOffsets: Map<string, number> | undefined;
  private endedSent = false;

  constructor(
    readonly id: string,
    private readonly group: MemoryGroup,
    readonly topics: readonly MemoryTopic[],
    readonly listener: SourceListener<unknown>,
    private readonly from: StartFrom,
    private readonly maxBatch: number,
    stopAtEnd: boolean,
  ) {
    if (stopAtEnd || listener.caughtUp !== undefined) {
      const ends = new Map<string, number>();
      for (const t of topics) {
        t.partitions.forEach((log, p) => {
          ends.set(`${t.name}/${p}`, log.length);
        });
      }
      this.catchUpOffsets = ends;
      if (stopAtEnd) this.stopOffsets = ends;
    }
  }

  /** Takes a new assignment and starts reading it; `gen` guards against stale loops. */
  async assign(tps: TopicPartition[]): Promise<void> {
    const gen = ++this.generation;
    this.assigned = tps;
    this.positions.clear();
    for (const tp of tps) this.positions.set(tpId(tp), this.startOffset(tp));
    await this.listener.assigned(tps);
    void this.loop(gen);
  }

  /** Revokes everything: the loop stops and the runtime settles and commits. */
  async revokeAll(): Promise<void> {
    this.generation++;
    this.wake();
    const tps = this.assigned;
    // Still owned while the runtime settles and commits them.
    if (tps.length > 0) await this.listener.revoked(tps);
    this.assigned = [];
  }

  private startOffset(tp: TopicPartition): number {
    const committed = this.group.committed.get(tpId(tp));
    if (committed !== undefined) return committed;
    return this.topic(tp).startOffset(tp.partition, this.from);
  }

  private topic(tp: TopicPartition): MemoryTopic {
    return this.topics.find((t) => t.name === tp.topic) as MemoryTopic;
  }

  private log(tp: TopicPartition): TRecord<unknown>[] {
    return this.topic(tp).partitions[tp.partition] as TRecord<unknown>[];
  }

  private async loop(gen: number): Promise<void> {
    try {
      while (gen === this.generation && !this.closed) {
        let delivered = false;
        let unfinished = false;
        for (const tp of this.assigned) {
          if (gen !== this.generation || this.closed) return;
          const id = tpId(tp);
          const log = this.log(tp);
          const pos = this.positions.get(id) ?? 0;
          const end = this.stopOffsets?.get(id) ?? log.length;
          if (pos < (this.catchUpOffsets?.get(id) ?? 0)) unfinished = true;
          if (this.paused.has(id) || pos >= Math.min(end, log.length)) continue;
          const batch = log.slice(pos, Math.min(pos + this.maxBatch, end));
          this.positions.set(id, pos + batch.length);
          delivered = true;
          await this.listener.deliver(batch);
        }
        if (this.catchUpOffsets !== undefined && !unfinished && !this.endedSent) {
          this.endedSent = true;
          this.listener.caughtUp?.();
          if (this.stopOffsets !== undefined) {
            this.listener.ended();
            return;
          }
        }
        if (!delivered) await this.idle();
      }
    } catch (error) {
      this.listener.failed(error);
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      for (const t of this.topics) void t.nextAppend().then(resolve);
    });
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    for (const o of offsets) {
      if (!this.assigned.some((tp) => tp.topic === o.topic && tp.partition === o.partition)) {
        throw new TributaryError(
          'COMMIT_FAILED',
          `member ${this.id} does not own ${o.topic}/${o.partition} (rebalanced)`,
        );
      }
    }
    for (const o of offsets) this.group.committed.set(tpId(o), o.offset);
  }

  endOffsets(): TopicPartitionOffset[] {
    return this.assigned.map((tp) => ({
      topic: tp.topic,
      partition: tp.partition,
      offset: this.log(tp).length,
    }));
  }

  pause(tps: readonly TopicPartition[]): void {
    for (const tp of tps) this.paused.add(tpId(tp));
  }

  resume(tps: readonly TopicPartition[]): void {
    for (const tp of tps) this.paused.delete(tpId(tp));
    this.wake();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    await this.group.leave(this);
  }
}

/** A consumer group: members share partitions; joins and leaves rebalance (eagerly). */
export class MemoryGroup {
  readonly committed = new Map<string, number>();
  readonly members: MemoryMember[] = [];
  private rebalancing: Promise<void> = Promise.resolve();

  constructor(readonly name: string) {}

  join(member: MemoryMember): Promise<void> {
    this.members.push(member);
    return this.rebalance();
  }

  leave(member: MemoryMember): Promise<void> {
    const i = this.members.indexOf(member);
    if (i === -1) return this.rebalancing;
    this.members.splice(i, 1);
    // The leaver gives its partitions back first, so its finished work is committed.
    return this.rebalance(member);
  }

  private rebalance(leaver?: MemoryMember): Promise<void> {
    this.rebalancing = this.rebalancing.then(async () => {
      const members = [...this.members];
      await Promise.all([...members, ...(leaver ? [leaver] : [])].map((m) => m.revokeAll()));
      const plan = assign(members);
      await Promise.all(members.map((m) => m.assign(plan.get(m) ?? [])));
    });
    return this.rebalancing;
  }
}

/** Round-robin over the partitions of the topics each member subscribes to, in a stable order. */
function assign(members: readonly MemoryMember[]): Map<MemoryMember, TopicPartition[]> {
  const plan = new Map<MemoryMember, TopicPartition[]>(members.map((m) => [m, []]));
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  for (const topic of topics) {
    const subscribers = members.filter((m) => m.topics.includes(topic));
    topic.partitions.forEach((_, partition) => {
      const m = subscribers[partition % subscribers.length] as MemoryMember;
      plan.get(m)?.push({ topic: topic.name, partition });
    });
  }
  return plan;
}
