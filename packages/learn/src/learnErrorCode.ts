/** Codes of the errors this package raises (as `TributaryError.code`). */
export type LearnErrorCode =
  /** A feature vector's length differs from the learner's dimension. */
  | 'LEARN_DIMENSION_MISMATCH'
  /** A feature vector, label, reward or weight is NaN or infinite. */
  | 'LEARN_NON_FINITE'
  /** A label is not of the learner's kind (e.g. a negative or fractional class id). */
  | 'LEARN_BAD_LABEL'
  /** A snapshot is of another type or malformed. */
  | 'LEARN_BAD_SNAPSHOT'
  /** A serving stage has no model version to predict with. */
  | 'LEARN_NO_MODEL'
  /** A bandit arm index is out of range. */
  | 'LEARN_BAD_ARM'
  /** A numerical failure, e.g. a covariance that is no longer positive definite. */
  | 'LEARN_NUMERICAL'
  /** A learner without a merge rule (trees, sliding-window bandits) was asked to merge. */
  | 'LEARN_NOT_MERGEABLE'
  /** `modelSync` could not read its updates topic to the end in time. */
  | 'LEARN_SYNC_TIMEOUT'
  /** A newer `modelSync` instance with this worker id published: this one is a zombie. */
  | 'LEARN_SYNC_FENCED'
  /** A model store saved a version but a subscriber threw. */
  | 'LEARN_STORE_LISTENER_FAILED';
