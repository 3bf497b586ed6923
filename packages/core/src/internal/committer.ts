import { errorMessage, TributaryError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RuntimeEvent } from '../metrics.js';
import type { TopicPartitionOffset } from '../record.js';
import type { SourceSession } from '../source.js';
import type { StateStore } from '../state.js';
import type { Checkpointer } from './checkpointer.js';
import { byPartition, type Partitions, tpId } from './partitions.js';
import type { RunStep } from './runStep.js';

const RESOLVED = Promise.resolve();

/** What the committer needs around it. */
export interface CommitterHost {
  readonly name: string;
  readonly logger: Logger;
  readonly state: StateStore;
  readonly steps: readonly RunStep[];
  readonly partitions: Partitions;
  /** Saves the stages' state before the commits it covers; undefined without `checkpoint`. */
  readonly checkpoint: Checkpointer | undefined;
  session(): SourceSession | undefined;
  emit(event: RuntimeEvent): void;
}

/**
 * Commits each partition's done prefix, on a timer and when asked (revoke, stop), one commit
 * at a time; stage work and state are flushed first, since the offsets depend on them.
 */
export class Committer {
  /** Commits made. */
  commits = 0;
  /** Last committed position per partition, kept after a partition is revoked. */
  private readonly committedAt = new Map<string, TopicPartitionOffset>();
  private committing: Promise<void> = RESOLVED;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly host: CommitterHost) {}

  /** Commits every `intervalMs` until {@link stopTimer}. */
  startTimer(intervalMs: number): void {
    this.timer = setInterval(() => void this.commit(), intervalMs);
  }

  stopTimer(): void {
    clearInterval(this.timer);
  }

  /** Every partition's last committed offset, by topic and partition. */
  committed(): TopicPartitionOffset[] {
    return [...this.committedAt.values()].sort(byPartition);
  }

  /**
   * Commits each partition's done prefix once the commits before it are over. `force` (revoke,
   * stop): a checkpoint is saved first even when `everyMs` has not passed.
   */
  commit(force = false): Promise<void> {
    this.committing = this.committing.then(() => this.commitNow(force));
    return this.committing;
  }

  private async commitNow(force: boolean): Promise<void> {
    const { host } = this;
    const session = host.session();
    if (session === undefined) return;
    const offsets: TopicPartitionOffset[] = [];
    for (const part of host.partitions.values()) {
      const at = part.tracker.committable();
      if (!Number.isNaN(at) && !(at <= part.committed)) {
        offsets.push({ topic: part.topic, partition: part.partition, offset: at });
      }
    }
    // Set when this commit saves a checkpoint first.
    const checkpoint = host.checkpoint?.due(offsets.length > 0, force)
      ? host.checkpoint
      : undefined;
    if (offsets.length === 0 && checkpoint === undefined) return;
    let committed: readonly TopicPartitionOffset[] = offsets;
    try {
      // State and buffered stage work must be durable before the offsets that depend on them.
      for (const step of host.steps) await step.stage.flush?.();
      await host.state.flush();
      // The checkpoint goes first: a crash after the commit then restores a state that holds
      // every committed record. A failed save holds the commit back (it reported itself).
      if (checkpoint !== undefined && !(await checkpoint.save(this.coveredWith(offsets)))) return;
      if (offsets.length === 0) return;
      const result = await session.commit(offsets);
      if (result !== undefined) committed = result;
    } catch (error) {
      const wrapped = new TributaryError('COMMIT_FAILED', `commit failed: ${errorMessage(error)}`, {
        cause: error,
      });
      host.logger.warn(`${host.name}: ${wrapped.message}; will retry at the next commit`);
      host.emit({ type: 'error', error: wrapped });
      return;
    }
    if (committed.length === 0) return;
    for (const o of committed) {
      const part = host.partitions.get(o);
      if (part !== undefined) part.committed = o.offset;
      this.committedAt.set(tpId(o), o);
    }
    this.commits++;
    if (checkpoint === undefined) host.checkpoint?.committedWithout();
    host.emit({ type: 'commit', offsets: committed });
  }

  /** Assigned partitions' positions once `offsets` are committed: what a checkpoint before them covers. */
  private coveredWith(offsets: readonly TopicPartitionOffset[]): TopicPartitionOffset[] {
    const at = new Map<string, TopicPartitionOffset>();
    for (const part of this.host.partitions.values()) {
      const o = this.committedAt.get(part.id);
      if (o !== undefined) at.set(part.id, o);
    }
    for (const o of offsets) at.set(tpId(o), o);
    return [...at.values()].sort(byPartition);
  }
}
