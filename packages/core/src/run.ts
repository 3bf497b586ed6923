import type { ErrorPolicy } from './errorPolicy.js';
import { invalidOption, TributaryError } from './errors.js';
import { Runtime } from './internal/runtime.js';
import { consoleLogger, type Logger } from './logger.js';
import { memoryStateStore } from './memoryStateStore.js';
import type { MetricsSnapshot, RuntimeEvent } from './metrics.js';
import type { Pipeline } from './pipeline.js';
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
  /** A checkpoint from `handle.snapshot()` to start from. */
  readonly restore?: PipelineSnapshot;
  /** Source of randomness for retry jitter (tests). */
  readonly random?: () => number;
}

/** Stage and keyed state of a running pipeline, as plain data. */
export interface PipelineSnapshot {
  /** Step name → the stage's `snapshot()`. */
  readonly stages: Readonly<Record<string, unknown>>;
  /** `topic/partition` → that partition's keyed state. */
  readonly state: Readonly<Record<string, StateSnapshot>>;
  readonly offsets: readonly TopicPartitionOffset[];
}

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

/** Starts `pipeline` and returns its handle at once; the work goes on in the background. */
export function run<V>(pipeline: Pipeline<V>, options: RunOptions = {}): RunHandle {
  if (pipeline?._tag !== 'Pipeline') {
    throw new TributaryError(
      'INVALID_PIPELINE',
      'run(): pass a pipeline built with pipeline(source)…to(sink)',
    );
  }
  // The runtime moves values of every step's type; the types were checked by the builder.
  return new Runtime(pipeline as unknown as Pipeline<unknown>, resolveOptions(options));
}

/** Options with every default filled in. */
export type ResolvedRunOptions = Required<
  Omit<RunOptions, 'restore' | 'retry' | 'onEvent' | 'name'>
> & {
  readonly [K in 'restore' | 'retry' | 'onEvent' | 'name']: RunOptions[K] | undefined;
};

function resolveOptions(o: RunOptions): ResolvedRunOptions {
  const positiveInt = (name: keyof RunOptions, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1) throw invalidOption(name, 'an integer >= 1', value);
    return value;
  };
  const nonNegative = (name: keyof RunOptions, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
      throw invalidOption(name, 'a finite number >= 0', value);
    }
    return value;
  };
  if (o.ordering !== undefined && o.ordering !== 'partition' && o.ordering !== 'key') {
    throw invalidOption('ordering', "'partition' or 'key'", o.ordering);
  }
  for (const [name, retry] of [
    ['retry', o.retry],
    ['sinkRetry', o.sinkRetry],
  ] as const) {
    if (retry !== undefined && (!Number.isInteger(retry.retries) || retry.retries < 0)) {
      throw invalidOption(`${name}.retries`, 'an integer >= 0', retry.retries);
    }
  }
  if (o.onError !== undefined && !['fail', 'skip', 'deadLetter'].includes(o.onError.kind)) {
    throw invalidOption('onError', 'fail, skip or deadLetter(sink)', o.onError);
  }
  return {
    name: o.name,
    concurrency: positiveInt('concurrency', o.concurrency, 16),
    ordering: o.ordering ?? 'partition',
    maxInFlight: positiveInt('maxInFlight', o.maxInFlight, 2000),
    batchSize: positiveInt('batchSize', o.batchSize, 500),
    lingerMs: nonNegative('lingerMs', o.lingerMs, 5),
    commitIntervalMs: positiveInt('commitIntervalMs', o.commitIntervalMs, 1000),
    onError: o.onError ?? { kind: 'fail' },
    retry: o.retry,
    sinkRetry: o.sinkRetry ?? { retries: 5, initialDelayMs: 100, maxDelayMs: 10_000 },
    state: o.state ?? memoryStateStore(),
    logger: o.logger ?? consoleLogger('warn'),
    onEvent: o.onEvent,
    handleSignals: o.handleSignals ?? false,
    drainTimeoutMs: nonNegative('drainTimeoutMs', o.drainTimeoutMs, 30_000),
    restore: o.restore,
    random: o.random ?? Math.random,
  };
}
