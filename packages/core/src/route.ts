import type { ErrorPolicy } from './errorPolicy.js';
import type { RetryOptions } from './retry.js';
import type { Sink } from './sink.js';
import type { StageContext } from './stage.js';

/** Where a pipeline's outputs go: a sink, optionally only for values that pass a predicate. */
export interface Route<V> {
  readonly _tag: 'Route';
  readonly sink: Sink<V>;
  readonly when?: ((value: V, ctx: StageContext) => boolean) | undefined;
  /** Retry of failed writes. Default: 5 retries, 100 ms doubling, full jitter. */
  readonly retry?: RetryOptions | undefined;
  /** Policy for records whose write still fails. Default: the run's `onError`. */
  readonly onError?: ErrorPolicy | undefined;
}

/** Options of a route. */
export interface RouteOptions {
  readonly retry?: RetryOptions;
  readonly onError?: ErrorPolicy;
}

/** Sends every output to `sink`, with write retry and error policy options. */
export function to<V>(sink: Sink<V>, options: RouteOptions = {}): Route<V> {
  return { _tag: 'Route', sink, retry: options.retry, onError: options.onError };
}

/**
 * Sends only the outputs for which `predicate` holds to `sink` (e.g. alerts). With a type
 * guard, the sink only needs to take the narrowed type (e.g. drift events out of a union).
 */
export function when<V, W extends V>(
  predicate: (value: V, ctx: StageContext) => value is W,
  sink: Sink<W>,
  options?: RouteOptions,
): Route<V>;
export function when<V>(
  predicate: (value: V, ctx: StageContext) => boolean,
  sink: Sink<V>,
  options?: RouteOptions,
): Route<V>;
export function when<V>(
  predicate: (value: V, ctx: StageContext) => boolean,
  sink: Sink<V>,
  options: RouteOptions = {},
): Route<V> {
  return { _tag: 'Route', sink, when: predicate, retry: options.retry, onError: options.onError };
}

/** True for a {@link Route}. */
export function isRoute(x: unknown): x is Route<unknown> {
  return typeof x === 'object' && x !== null && (x as { _tag?: unknown })._tag === 'Route';
}
