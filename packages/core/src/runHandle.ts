import type { MetricsSnapshot } from './metrics.js';
import type { TopicPartitionOffset } from './record.js';
import type { PipelineSnapshot } from './runOptions.js';

/** What a finished run reports. */
export interface RunSummary {
  readonly recordsIn: number;
  readonly recordsDone: number;
  readonly deadLettered: number;
  readonly skipped: number;
  readonly committed: readonly TopicPartitionOffset[];
  readonly durationMs: number;
  readonly metrics: MetricsSnapshot;
}

/** A running pipeline. */
export interface RunHandle {
  /** Stops taking records, drains in-flight ones, flushes, commits and closes. Idempotent. */
  stop(): Promise<RunSummary>;
  /** Settles when the run ends: resolves on stop or end of a bounded source, rejects on a fatal error. */
  readonly done: Promise<RunSummary>;
  /** Current metrics as plain data. */
  metrics(): MetricsSnapshot;
  /** Stage snapshots and keyed state, e.g. for a model checkpoint. */
  snapshot(): PipelineSnapshot;
}
