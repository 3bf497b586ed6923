import type { CheckpointOptions } from './checkpoint.js';
import type { ErrorPolicy } from './errorPolicy.js';
import type { Logger } from './logger.js';
import type { RuntimeEvent } from './metrics.js';
import type { TopicPartitionOffset } from './record.js';
import type { RetryOptions } from './retry.js';
import type { StateSnapshot, StateStore } from './state.js';

/** Options of {@link run}. Every one has a default; invalid values throw INVALID_OPTION. */
export interface RunOptions {
  /** Name in logs and metrics. Default: the source's name. */
  readonly name?: string;
  /** Partitions (or keys, with `ordering: 'key'`) processed at the same time. Default 16. */
  readonly concurrency?: number;
  /** Order kept per partition (default) or only per key within a partition. */
  readonly ordering?: 'partition' | 'key';
  /** Records accepted and not yet done before the source is paused. Default 2000. */
  readonly maxInFlight?: number;
  /** Records per sink write. Default 500. */
  readonly batchSize?: number;
  /** How long a partial sink batch may wait for more records, in ms. Default 5. */
  readonly lingerMs?: number;
  /** How often done offsets are committed, in ms. Default 1000 (and always on revoke and stop). */
  readonly commitIntervalMs?: number;
  /** Policy for records that still fail after retries. Default `fail`. */
  readonly onError?: ErrorPolicy;
  /** Retry of stages that have none of their own. Default: no retries. */
  readonly retry?: RetryOptions;
  /** Retry of sink writes that have none of their own. Default: 5 retries from 100 ms, full jitter. */
  readonly sinkRetry?: RetryOptions;
  /** Keyed-state backend. Default: in memory. */
  readonly state?: StateStore;
  /** Default: warnings and errors to stderr. */
  readonly logger?: Logger;
  /** Called for assignments, commits, retries, dead letters, errors and stop. */
  readonly onEvent?: (event: RuntimeEvent) => void;
  /** Stop gracefully on SIGINT and SIGTERM. Default false. */
  readonly handleSignals?: boolean;
  /** How long `stop()` waits for in-flight records before abandoning them (uncommitted), in ms. Default 30000. */
  readonly drainTimeoutMs?: number;
  /** A checkpoint from `handle.snapshot()` to start from; when set, `checkpoint` loads nothing. */
  readonly restore?: PipelineSnapshot;
  /**
   * Saves the stages' state to a model store with offset commits and resumes from the newest
   * one at start (unless `restore` is given). Default: none.
   */
  readonly checkpoint?: CheckpointOptions;
  /** Source of randomness for retry jitter (tests). */
  readonly random?: () => number;
}

/** Stage and keyed state of a running pipeline, as plain data. */
export interface PipelineSnapshot {
  /** Step name → the stage's `snapshot()`. */
  readonly stages: Readonly<Record<string, unknown>>;
  /** `topic/partition` → that partition's keyed state. */
  readonly state: Readonly<Record<string, StateSnapshot>>;
  /** Committed positions (next offset to read) the stage and state above belong to. */
  readonly offsets: readonly TopicPartitionOffset[];
}
