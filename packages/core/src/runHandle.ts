import type { MetricsSnapshot } from './metrics.js';
import type { TopicPartitionOffset } from './record.js';
import type { PipelineSnapshot } from './runOptions.js';

/** What a finished run reports. */
export interface RunSummary {
  /** Source records delivered to the pipeline. */
  readonly recordsIn: number;
  /** Source records fully done: processed and written by every sink (or dead-lettered/skipped). */
  readonly recordsDone: number;
  /** Records dead-lettered, over all steps and sink routes. */
  readonly deadLettered: number;
  /** Records skipped by a `skip` policy, over all steps and sink routes. */
  readonly skipped: number;
  /** Last committed position per partition (the next offset to read). */
  readonly committed: readonly TopicPartitionOffset[];
  /** Wall time from the start of the run to its end, in milliseconds. */
  readonly durationMs: number;
  /** The final metrics. */
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
