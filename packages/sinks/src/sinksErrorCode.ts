/** Codes of the errors this package raises, on `TributaryError.code`. */
export type SinksErrorCode =
  /** A value that cannot be written as JSON (a BigInt, a cycle, `undefined`); not retried. */
  | 'SINK_NOT_SERIALIZABLE'
  /** A file or stream could not be opened, written, synced or rotated (`details.path`, `details.errno`). */
  | 'SINK_FILE_FAILED'
  /** A JSONL file with a line that is not JSON before its last line (see readJsonl). */
  | 'SINK_FILE_CORRUPT'
  /** The HTTP peer refused the batch with a 4xx other than 408/429; not retried. */
  | 'SINK_HTTP_REJECTED'
  /** 5xx, 408, 429, a network error or a timeout, still failing after the sink's retries. */
  | 'SINK_HTTP_UNAVAILABLE'
  /** PostgreSQL refused the data (type mismatch, constraint, unknown column); not retried. */
  | 'SINK_POSTGRES_REJECTED'
  /** PostgreSQL could not be reached or aborted the transaction (connection, deadlock). */
  | 'SINK_POSTGRES_FAILED'
  /** `write` was called after `close`. */
  | 'SINK_CLOSED';
