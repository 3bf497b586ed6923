import { invalidOption } from '@tributary/core';
import type { FeatureValue } from './featureMap.js';

/** The statistics a window can keep. */
export type AggregateKind = 'count' | 'sum' | 'mean' | 'std' | 'min' | 'max' | 'distinct';

/**
 * One windowed statistic over values of type `I`, producing `R`. Build with {@link count},
 * {@link sum}, {@link mean}, {@link std}, {@link min}, {@link max} or {@link distinct}.
 */
export interface Aggregator<I, R> {
  /** Which statistic this is, e.g. `'sum'`. */
  readonly kind: AggregateKind;
  /** Picks the aggregated value from a record; `null`, `undefined` and `NaN` are skipped. */
  readonly of: ((value: I) => FeatureValue) | undefined;
  /** Delta degrees of freedom (std only). */
  readonly ddof: number;
  /** Type-level only: the result type. */
  readonly _result?: R;
}

/** The results of a record of aggregators. */
export type AggregateResults<A> = {
  readonly [K in keyof A]: A[K] extends Aggregator<never, infer R> ? R : never;
};

const make = <I, R>(
  kind: AggregateKind,
  of: ((value: I) => FeatureValue) | undefined,
  ddof = 0,
): Aggregator<I, R> => {
  if (of !== undefined && typeof of !== 'function')
    throw invalidOption(`${kind}(of)`, 'a function', of);
  return { kind, of, ddof };
};

/** Number of records in the window; with `of`, of records where it gives a present value. */
export function count<I = unknown>(of?: (value: I) => FeatureValue): Aggregator<I, number> {
  return make('count', of);
}

/** Sum of a numeric value (0 for an empty window). */
export function sum<I>(of: (value: I) => number | null | undefined): Aggregator<I, number> {
  return make('sum', of);
}

/** Mean of a numeric value; `null` for an empty window. */
export function mean<I>(of: (value: I) => number | null | undefined): Aggregator<I, number | null> {
  return make('mean', of);
}

/** Standard deviation of a numeric value (`ddof` 1 by default, as River and pandas); `null` when count <= ddof. */
export function std<I>(
  of: (value: I) => number | null | undefined,
  options: { ddof?: number } = {},
): Aggregator<I, number | null> {
  const ddof = options.ddof ?? 1;
  if (!Number.isInteger(ddof) || ddof < 0) throw invalidOption('ddof', 'an integer >= 0', ddof);
  return make('std', of, ddof);
}

/** Minimum of a numeric value; `null` for an empty window. */
export function min<I>(of: (value: I) => number | null | undefined): Aggregator<I, number | null> {
  return make('min', of);
}

/** Maximum of a numeric value; `null` for an empty window. */
export function max<I>(of: (value: I) => number | null | undefined): Aggregator<I, number | null> {
  return make('max', of);
}

/** Number of distinct values (compared as strings), e.g. distinct merchants per card. */
export function distinct<I>(of: (value: I) => FeatureValue): Aggregator<I, number> {
  return make('distinct', of);
}
