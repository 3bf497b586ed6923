import { errorMessage, TributaryError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RuntimeEvent } from '../metrics.js';
import type { TopicPartitionOffset } from '../record.js';
import type { SourceSession } from '../source.js';
import type { StateStore } from '../state.js';
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

  /** Commits each partition's done prefix once the commits before it are over. */
  commit(): Promise<void> {
    this.committing = this.committing.then(() => this.commitNow());
    return this.committing;
  }

  private async commitNow(): Promise<void> {
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
    if (offsets.length === 0) return;
    let committed: readonly TopicPartitionOffset[] = offsets;
    try {
      // State and buffered stage work must be durable before the offsets that depend on them.
      for (const step of host.steps) await step.stage.flush?.();
      await host.state.flush();
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
    host.emit({ type: 'commit', offsets: committed });
  }
}
