import type { TopicPartition, TopicPartitionOffset } from './record.js';

/** Counters of one pipeline step (a stage, or `<source>.decode`). */
export interface StepMetrics {
  /** Values that entered the step. */
  in: number;
  /** Values the step emitted (a `many` counts each item; a drop counts none). */
  out: number;
  /** Values whose processing threw or rejected (each attempt counts once). */
  errors: number;
  retries: number;
  /** Records that still failed after retries, by outcome. */
  deadLettered: number;
  skipped: number;
  failed: number;
  /** Counters the stage added through `ctx.count`. */
  custom: Record<string, number>;
}

/** Counters of one sink route. */
export interface SinkMetrics {
  written: number;
  batches: number;
  errors: number;
  retries: number;
  deadLettered: number;
  skipped: number;
  failed: number;
  filtered: number;
}

/** A fixed-bucket histogram; `counts[i]` counts observations ≤ `bounds[i]`, the last one the rest. */
export interface HistogramSnapshot {
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/** How far a consumer is behind the end of one partition. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** The partition's log end offset as the source last saw it. */
  readonly endOffset: number;
  /**
   * Records between the committed position (or, before the first commit, the first offset
   * delivered) and the end offset: consumer lag as Kafka's tools report it.
   */
  readonly lag: number;
}

/** Everything the runtime counts, as plain data. */
export interface MetricsSnapshot {
  readonly pipeline: string;
  readonly recordsIn: number;
  /** Source records fully done: processed and written by every sink (or dead-lettered/skipped). */
  readonly recordsDone: number;
  readonly inFlight: number;
  readonly paused: boolean;
  readonly steps: Readonly<Record<string, StepMetrics>>;
  readonly sinks: Readonly<Record<string, SinkMetrics>>;
  /** Time from delivery by the source to done, in milliseconds. */
  readonly latencyMs: HistogramSnapshot;
  readonly committed: readonly TopicPartitionOffset[];
  readonly commits: number;
  readonly assigned: readonly TopicPartition[];
  /**
   * Lag of assigned partitions whose end offset the source reports (both buses do) and whose
   * position this run knows (it delivered or committed there).
   */
  readonly lag: readonly PartitionLag[];
}

/** Events the runtime reports through `run(…, { onEvent })`; rare enough to be cheap. */
export type RuntimeEvent =
  | { readonly type: 'assigned'; readonly partitions: readonly TopicPartition[] }
  | { readonly type: 'revoked'; readonly partitions: readonly TopicPartition[] }
  | { readonly type: 'paused' }
  | { readonly type: 'resumed' }
  | { readonly type: 'commit'; readonly offsets: readonly TopicPartitionOffset[] }
  | {
      readonly type: 'retry';
      readonly step: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: unknown;
    }
  | {
      readonly type: 'dead-letter' | 'skip';
      readonly step: string;
      readonly record: TopicPartitionOffset;
      readonly error: unknown;
      readonly attempts: number;
    }
  | { readonly type: 'error'; readonly error: unknown }
  | { readonly type: 'stopped'; readonly error?: unknown };
