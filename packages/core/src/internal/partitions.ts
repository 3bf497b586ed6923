import type { TopicPartition } from '../record.js';
import type { Part } from './item.js';
import { OffsetTracker } from './offsetTracker.js';

/** `topic/partition`: the id of a partition in maps and snapshots. */
export const tpId = (tp: TopicPartition) => `${tp.topic}/${tp.partition}`;

/** Orders per-partition entries of metrics by topic, then partition. */
export const byPartition = (a: TopicPartition, b: TopicPartition) =>
  a.topic.localeCompare(b.topic) || a.partition - b.partition;

/** The source partitions the runtime holds: from their first record or assignment to their revoke. */
export class Partitions {
  private readonly byId = new Map<string, Part>();

  /** `stopSignal` ends every partition's work when the run stops. */
  constructor(private readonly stopSignal: AbortSignal) {}

  /** The partition of `tp`, created on first sight. */
  of(tp: TopicPartition): Part {
    const id = tpId(tp);
    let part = this.byId.get(id);
    if (part === undefined) {
      const abort = new AbortController();
      part = {
        topic: tp.topic,
        partition: tp.partition,
        id,
        tracker: new OffsetTracker(),
        live: 0,
        revoked: false,
        committed: Number.NaN,
        start: Number.NaN,
        abort,
        signal: AbortSignal.any([abort.signal, this.stopSignal]),
      };
      this.byId.set(id, part);
    }
    return part;
  }

  /** The partition of `tp` if held. */
  get(tp: TopicPartition): Part | undefined {
    return this.byId.get(tpId(tp));
  }

  delete(part: Part): void {
    this.byId.delete(part.id);
  }

  values(): IterableIterator<Part> {
    return this.byId.values();
  }

  /** Items of every partition delivered and neither done nor abandoned. */
  live(): number {
    let n = 0;
    for (const part of this.byId.values()) n += part.live;
    return n;
  }
}
