import type { ErrorPolicy } from './errorPolicy.js';
import type { RetryOptions } from './retry.js';
import type { Sink } from './sink.js';
import type { StageContext } from './stage.js';

/**
 * Where a pipeline's outputs `V` go: a sink, optionally only for values that pass a predicate,
 * optionally reshaped first. Build one with {@link to} or {@link when}, which type the sink.
 */
export interface Route<V> {
  /** Brand telling a route apart from a sink in `to(...)`. */
  readonly _tag: 'Route';
  /**
   * The sink: it takes `map`'s output when the route maps, else `V`. Typed `Sink<never>` here
   * (any sink fits) because `to` and `when` already checked it against `V` or `map`.
   */
  readonly sink: Sink<never>;
  /** Only values for which it returns true go to the sink (from `when`). */
  readonly when?: ((value: V, ctx: StageContext) => boolean) | undefined;
  /** The value the sink gets instead of the output (keeping its key, headers and timestamp). */
  readonly map?: ((value: V, ctx: StageContext) => unknown) | undefined;
  /** Retry of failed writes. Default: 5 retries, 100 ms doubling, full jitter. */
  readonly retry?: RetryOptions | undefined;
  /** Policy for records whose write (or predicate, or map) fails. Default: the run's `onError`. */
  readonly onError?: ErrorPolicy | undefined;
}

/** Options of a route. */
export interface RouteOptions {
  /** Retry of failed writes. Default: the run's `sinkRetry` (5 retries from 100 ms, full jitter). */
  readonly retry?: RetryOptions;
  /** Policy for records whose write (or predicate, or map) fails for good. Default: the run's `onError`. */
  readonly onError?: ErrorPolicy;
}

/** Options of a route that reshapes each output before its sink. */
export interface MapRouteOptions<V, U> extends RouteOptions {
  /** The sink's value for an output; a throw meets the route's `onError` like a failed write. */
  readonly map: (value: V, ctx: StageContext) => NoInfer<U>;
}

// The map overload comes first: TypeScript fixes a callback's parameter types at the first
// overload that sees it, and the other one has no `map` to type it.
/** Sends every output, reshaped by `options.map`, to `sink` (e.g. the alert part of a score). */
export function to<V, U>(sink: Sink<U>, options: MapRouteOptions<V, U>): Route<V>;
/** Sends every output to `sink`, with write retry and error policy options. */
export function to<V>(sink: Sink<V>, options?: RouteOptions): Route<V>;
export function to<V>(
  sink: Sink<V>,
  options: RouteOptions & { readonly map?: (value: V, ctx: StageContext) => unknown } = {},
): Route<V> {
  return {
    _tag: 'Route',
    sink: sink as Sink<never>,
    map: options.map,
    retry: options.retry,
    onError: options.onError,
  };
}

/**
 * Sends only the outputs for which `predicate` holds to `sink` (e.g. alerts). With a type
 * guard (written, or inferred by TypeScript from a comparison such as
 * `(o) => o.type === 'drift'`), the sink only needs to take the narrowed type; a predicate
 * typed as plain `boolean` narrows nothing, so give a `map` to reshape instead.
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
/**
 * Sends the outputs for which `predicate` holds, reshaped by `map`, to `sink`; with a type
 * guard the map gets the narrowed value. A throwing map meets the route's `onError`.
 */
export function when<V, W extends V, U>(
  predicate: (value: V, ctx: StageContext) => value is W,
  map: (value: W, ctx: StageContext) => NoInfer<U>,
  sink: Sink<U>,
  options?: RouteOptions,
): Route<V>;
export function when<V, U>(
  predicate: (value: V, ctx: StageContext) => boolean,
  map: (value: V, ctx: StageContext) => NoInfer<U>,
  sink: Sink<U>,
  options?: RouteOptions,
): Route<V>;
export function when<V>(
  predicate: (value: V, ctx: StageContext) => boolean,
  mapOrSink: ((value: V, ctx: StageContext) => unknown) | Sink<V>,
  sinkOrOptions?: Sink<unknown> | RouteOptions,
  maybeOptions?: RouteOptions,
): Route<V> {
  const mapped = typeof mapOrSink === 'function';
  const sink = (mapped ? sinkOrOptions : mapOrSink) as Sink<never>;
  const options = ((mapped ? maybeOptions : sinkOrOptions) ?? {}) as RouteOptions;
  return {
    _tag: 'Route',
    sink,
    when: predicate,
    map: mapped ? mapOrSink : undefined,
    retry: options.retry,
    onError: options.onError,
  };
}

/** True for a {@link Route}. */
export function isRoute(x: unknown): x is Route<unknown> {
  return typeof x === 'object' && x !== null && (x as { _tag?: unknown })._tag === 'Route';
}
