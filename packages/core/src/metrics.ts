import type { CheckpointMetrics } from './checkpoint.js';
import type { TopicPartition, TopicPartitionOffset } from './record.js';

/** Counters of one pipeline step (a stage, or `<source>.decode`). */
export interface StepMetrics {
  /** Values that entered the step. */
  in: number;
  /** Values the step emitted (a `many` counts each item; a drop counts none). */
  out: number;
  /** Values whose processing threw or rejected (each attempt counts once). */
  errors: number;
  /** Attempts retried after an error, under the step's retry policy. */
  retries: number;
  /** Records that still failed after retries and went to the dead-letter sink. */
  deadLettered: number;
  /** Records that still failed after retries and were skipped (logged) under a `skip` policy. */
  skipped: number;
  /** Records that still failed after retries under a `fail` policy, stopping the run. */
  failed: number;
  /** Counters the stage added through `ctx.count`. */
  custom: Record<string, number>;
}

/** Counters of one sink route. */
export interface SinkMetrics {
  /** Records the sink accepted. */
  written: number;
  /** Batches the sink wrote (a batch split after a failure counts once). */
  batches: number;
  /** Failed writes and `when`/`map` errors (each attempt counts once). */
  errors: number;
  /** Writes retried after an error, under the route's retry policy. */
  retries: number;
  /** Records that failed for good and went to the dead-letter sink. */
  deadLettered: number;
  /** Records that failed for good and were skipped (logged) under a `skip` policy. */
  skipped: number;
  /** Records that failed for good under a `fail` policy, stopping the run. */
  failed: number;
  /** Records the route's `when` predicate left out. */
  filtered: number;
}

/** A fixed-bucket histogram; `counts[i]` counts observations ≤ `bounds[i]`, the last one the rest. */
export interface HistogramSnapshot {
  /** Upper bucket bounds, ascending (for latency: milliseconds). */
  readonly bounds: readonly number[];
  /** Observations per bucket, not cumulative; one longer than `bounds` (the last is the overflow). */
  readonly counts: readonly number[];
  /** Sum of all observed values, in the unit of `bounds`. */
  readonly sum: number;
  /** Number of observations. */
  readonly count: number;
}

/** How far a consumer is behind the end of one partition. */
export interface PartitionLag {
  /** Topic of the partition. */
  readonly topic: string;
  /** Partition number within the topic. */
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
  /** The pipeline's name. */
  readonly pipeline: string;
  /** Source records delivered to the pipeline so far. */
  readonly recordsIn: number;
  /** Source records fully done: processed and written by every sink (or dead-lettered/skipped). */
  readonly recordsDone: number;
  /** Records accepted and not yet done; the source pauses when this reaches `maxInFlight`. */
  readonly inFlight: number;
  /** Whether the source is paused by backpressure (or for good while stopping). */
  readonly paused: boolean;
  /** Counters per step, by step name, in pipeline order. */
  readonly steps: Readonly<Record<string, StepMetrics>>;
  /** Counters per sink route, by route name (dead-letter sinks included). */
  readonly sinks: Readonly<Record<string, SinkMetrics>>;
  /** Time from delivery by the source to done, in milliseconds. */
  readonly latencyMs: HistogramSnapshot;
  /** Last committed position per partition (the next offset to read), kept after a revoke. */
  readonly committed: readonly TopicPartitionOffset[];
  /** Successful commits made by this run. */
  readonly commits: number;
  /** Partitions currently assigned to this run. */
  readonly assigned: readonly TopicPartition[];
  /**
   * Lag of assigned partitions whose end offset the source reports (both buses do) and whose
   * position this run knows (it delivered or committed there).
   */
  readonly lag: readonly PartitionLag[];
  /** Saves and failures of `run(…, { checkpoint })`; absent when the run has no checkpoint. */
  readonly checkpoints?: CheckpointMetrics;
}

/** Events the runtime reports through `run(…, { onEvent })`; rare enough to be cheap. */
export type RuntimeEvent =
  | {
      /** Partitions were assigned to this run. */
      readonly type: 'assigned';
      /** The newly assigned partitions. */
      readonly partitions: readonly TopicPartition[];
    }
  | {
      /** Partitions were taken away (after their done work was committed). */
      readonly type: 'revoked';
      /** The revoked partitions. */
      readonly partitions: readonly TopicPartition[];
    }
  | {
      /** Backpressure paused the source: `maxInFlight` records are in flight. */
      readonly type: 'paused';
    }
  | {
      /** The source resumed: in-flight records fell to half of `maxInFlight`. */
      readonly type: 'resumed';
    }
  | {
      /** A commit succeeded. */
      readonly type: 'commit';
      /** The positions committed (next offset to read per partition). */
      readonly offsets: readonly TopicPartitionOffset[];
    }
  | {
      /** A checkpoint of the stages' state was saved (before its commit) or restored (at start). */
      readonly type: 'checkpoint';
      /** `'saved'` during the run, `'restored'` once before the first record. */
      readonly action: 'saved' | 'restored';
      /** The checkpoint's name in the store. */
      readonly name: string;
      /** The store's version of the checkpoint. */
      readonly version: number;
      /** Positions (next offset to read) whose records the checkpoint holds, at least. */
      readonly offsets: readonly TopicPartitionOffset[];
    }
  | {
      /** A step or sink write failed and will be retried after a backoff. */
      readonly type: 'retry';
      /** Name of the step or sink route that failed. */
      readonly step: string;
      /** The attempt that failed, from 1. */
      readonly attempt: number;
      /** Backoff before the next attempt, in milliseconds. */
      readonly delayMs: number;
      /** What the attempt threw. */
      readonly error: unknown;
    }
  | {
      /** A record failed for good and was dead-lettered or skipped by its error policy. */
      readonly type: 'dead-letter' | 'skip';
      /** Name of the step or sink route where it failed. */
      readonly step: string;
      /** Position of the source record. */
      readonly record: TopicPartitionOffset;
      /** What the last attempt threw. */
      readonly error: unknown;
      /** Attempts made, retries included. */
      readonly attempts: number;
    }
  | {
      /** A runtime error: a failed commit or checkpoint save (retried at the next commit) or the fatal error stopping the run. */
      readonly type: 'error';
      /** The error; the runtime's own are `TributaryError`s with a `code`. */
      readonly error: unknown;
    }
  | {
      /** The run stopped. */
      readonly type: 'stopped';
      /** Why it stopped, when it stopped on an error; unset on a clean stop. */
      readonly error?: unknown;
    };
