import type { RowTransform } from '../rowTransform.js';

/**
 * A row step's work as source text, so that `vectorize` can generate one row program per
 * vectorizer (decoding and every step in one function, see `compiled`) instead of calling each
 * step. The statements see `value` (the record) and the names in `args`; each must do exactly
 * what the step's methods do, on the state those methods use (held in place, never replaced).
 */
export interface RowSource {
  /** Values the statements use, by name; every name starts with the prefix the step was given. */
  readonly args: Readonly<Record<string, unknown>>;
  /** The step's `read(value)`, if it has one. */
  readonly read?: string;
  /** The step's `transform(row, value)` on the row named `row`. */
  transform(row: string): string;
  /** The step's `learn(row, value)` then `transform(row, value)` on the row named `row`. */
  learnTransform(row: string): string;
}

/**
 * Gives a step's source for a prefix (unique per step in one program) and the rows the program
 * transforms, by the names the statements get (so that a step can bind per-row state).
 */
export type RowSourceOf = (
  prefix: string,
  rows: Readonly<Record<string, Float64Array>>,
) => RowSource;

const sources = new WeakMap<RowTransform, RowSourceOf>();

/** Records the source of row step `t` (see `defineRow`). */
export function setRowSource(t: RowTransform, source: RowSourceOf): void {
  sources.set(t, source);
}

/** The source of row step `t`: its own, or calls to its methods (bound as `<prefix>t`). */
export function rowSource(
  t: RowTransform,
  prefix: string,
  rows: Readonly<Record<string, Float64Array>>,
): RowSource {
  const own = sources.get(t);
  if (own !== undefined) return own(prefix, rows);
  const self = `${prefix}t`;
  return {
    args: { [self]: t },
    ...(t.read === undefined ? {} : { read: `${self}.read(value);` }),
    transform: (row) => `${self}.transform(${row}, value);`,
    learnTransform: (row) => `${self}.learn(${row}, value); ${self}.transform(${row}, value);`,
  };
}
