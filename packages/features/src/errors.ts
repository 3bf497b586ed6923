/** Codes of the errors @tributary/features raises (besides core's INVALID_OPTION). */
export type FeaturesErrorCode =
  /** A field that must be numeric holds something else. */
  | 'FEATURE_NOT_NUMERIC'
  /**
   * A number that is ±Infinity: never learned (it would poison running statistics for good);
   * NaN, `null` and `undefined` are missing values instead.
   */
  | 'FEATURE_NOT_FINITE'
  /** A feature the vector needs is absent and no `missing` value was given. */
  | 'FEATURE_MISSING'
  /** An array feature changed length. */
  | 'FEATURE_SHAPE_MISMATCH'
  /** A value outside a transform's domain (e.g. log of a non-positive number). */
  | 'FEATURE_OUT_OF_DOMAIN'
  /** `restore` got data that is not a snapshot of this transform. */
  | 'FEATURE_SNAPSHOT_INVALID'
  /** A record older than the key's watermark, under the `'dead-letter'` late policy. */
  | 'LATE_RECORD'
  /** The event time of a record is not a finite number. */
  | 'EVENT_TIME_INVALID';
