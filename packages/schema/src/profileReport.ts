/** Numeric summary of a field in a {@link ProfileReport}. */
export interface NumericProfile {
  /** Numeric values seen. */
  readonly count: number;
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
  /** Arithmetic mean. */
  readonly mean: number;
  /** Sample standard deviation (n - 1); 0 for a single value. */
  readonly std: number;
  /** A uniform random sample of the values, for KS and binned PSI against this report. */
  readonly sample: readonly number[];
}

/** Categorical (text, boolean) summary of a field in a {@link ProfileReport}. */
export interface CategoricalProfile {
  /** Categorical values seen. */
  readonly count: number;
  /** Count per value, for the values tracked exactly. */
  readonly values: Readonly<Record<string, number>>;
  /** Values beyond the tracked ones. */
  readonly other: number;
}

/** One field's profile over the window. */
export interface FieldProfile {
  /** Records seen, null or not. */
  readonly count: number;
  /** Records where the field is null or missing. */
  readonly nulls: number;
  /** nulls / count (0 when nothing was seen). */
  readonly nullRate: number;
  /** Approximate number of distinct non-null values (HyperLogLog). */
  readonly distinct: number;
  /** Most frequent categorical values, most frequent first. */
  readonly top: readonly {
    /** The value, as text. */
    readonly value: string;
    /** How often it was seen. */
    readonly count: number;
  }[];
  /** Summary of the numeric values; null when there were none. */
  readonly numeric: NumericProfile | null;
  /** Summary of the text and boolean values; null when there were none. */
  readonly categorical: CategoricalProfile | null;
}

/** A profile of the records in a window, as JSON-safe data: save one as a drift reference. */
export interface ProfileReport {
  /** Format version of the report (for saved references). */
  readonly version: 1;
  /** Records in the window. */
  readonly records: number;
  /** Event-time range of the window's records (ms), when known. */
  readonly from: number | null;
  /** End of that event-time range (ms), when known. */
  readonly to: number | null;
  /** Field path → its profile. */
  readonly fields: Readonly<Record<string, FieldProfile>>;
}
