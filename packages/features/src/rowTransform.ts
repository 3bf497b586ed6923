import type { TransformSnapshot } from './transformSnapshot.js';

/**
 * The column layout of a feature row while it is being built (by `vectorize` or `compose`):
 * each step asks for the columns it reads or adds, once, and keeps their slot numbers.
 */
export interface RowLayout {
  /** Column names so far, in row order. */
  readonly names: readonly string[];
  /** Names of the input columns so far (decoded from the record fields of the same name). */
  readonly inputs: readonly string[];
  /** The slot of input column `name`, added (decoded from the record's field `name`) if new. */
  input(name: string): number;
  /**
   * Appends derived columns that a step writes (e.g. one-hot columns); returns the first slot.
   * They belong to that step: it writes them on every `transform` and never leaves NaN there
   * (only input columns can be missing), and nothing else writes them, so in each row they
   * hold what the step last wrote there (it may clear only what it set).
   */
  append(names: readonly string[]): number;
  /** Renames a column (e.g. when an online vocabulary learns the category of a slot). */
  rename(slot: number, name: string): void;
}

/**
 * A transform bound to a {@link RowLayout}: it works in place on `Float64Array` rows whose
 * columns were fixed once, so a record costs no object copy and no per-field Map lookup.
 * Missing values are NaN in the row. `value` is the record the row was decoded from, for the
 * steps that read fields the row does not hold (categories, hashed text).
 */
export interface RowTransform {
  /** The step's kind, e.g. `'standardScaler'`, as in its snapshots. */
  readonly kind: string;
  /**
   * Reads what the step needs from the record itself (e.g. its categories), once per record;
   * `vectorize` calls it right after decoding. Steps that need nothing omit it.
   */
  read?(value: object): void;
  /**
   * Updates the statistics from `row` (as transformed by the steps before this one), leaving
   * `row` as it is: `transform` follows on the same row.
   */
  learn(row: Float64Array, value: object): void;
  /** Applies the statistics to `row` in place (and fills the columns this step appended). */
  transform(row: Float64Array, value: object): void;
  /** Forgets everything learned. */
  reset(): void;
  /** The same snapshot as the object form of the transform, so either restores the other. */
  snapshot(): TransformSnapshot;
  /** Adopts a snapshot of this step (of either form); throws for another kind. */
  restore(snapshot: unknown): void;
}

/** Anything that can run on rows: every transform of this package, and {@link inputColumns}. */
export interface RowStep {
  /** What step this is, e.g. `'standardScaler'` or `'inputColumns'`. */
  readonly kind: string;
  /** Binds to the layout (asking for its columns) and returns the row form, with fresh state. */
  bindRow(layout: RowLayout): RowTransform;
}
