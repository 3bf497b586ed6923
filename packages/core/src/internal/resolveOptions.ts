import type { CheckpointOptions } from '../checkpoint.js';
import { invalidOption } from '../errors.js';
import { consoleLogger } from '../logger.js';
import { memoryStateStore } from '../memoryStateStore.js';
import type { RunOptions } from '../runOptions.js';

/** Options with every default filled in. */
export type ResolvedRunOptions = Required<
  Omit<RunOptions, 'restore' | 'retry' | 'onEvent' | 'name' | 'checkpoint'>
> & {
  readonly [K in 'restore' | 'retry' | 'onEvent' | 'name']: RunOptions[K] | undefined;
} & { readonly checkpoint: Required<CheckpointOptions> | undefined };

/** Checks `o` and fills in every default; an invalid value throws INVALID_OPTION. */
export function resolveOptions(o: RunOptions): ResolvedRunOptions {
  const positiveInt = (name: keyof RunOptions, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1) throw invalidOption(name, 'an integer >= 1', value);
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
    checkpoint: resolveCheckpoint(o.checkpoint),
    random: o.random ?? Math.random,
  };
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw invalidOption(name, 'a finite number >= 0', value);
  }
  return value;
}

function resolveCheckpoint(
  c: CheckpointOptions | undefined,
): Required<CheckpointOptions> | undefined {
  if (c === undefined) return undefined;
  const store = c.store as Partial<CheckpointOptions['store']> | undefined;
  if (typeof store?.save !== 'function' || typeof store.load !== 'function') {
    throw invalidOption('checkpoint.store', 'a ModelStore (save and load)', c.store);
  }
  if (typeof c.name !== 'string' || c.name.length === 0) {
    throw invalidOption('checkpoint.name', 'a non-empty string', c.name);
  }
  const everyMs = nonNegative('checkpoint.everyMs', c.everyMs, 0);
  const onLoadError = c.onLoadError ?? 'fail';
  if (onLoadError !== 'fail' && onLoadError !== 'fresh') {
    throw invalidOption('checkpoint.onLoadError', "'fail' or 'fresh'", c.onLoadError);
  }
  return { store: c.store, name: c.name, everyMs, onLoadError };
}
