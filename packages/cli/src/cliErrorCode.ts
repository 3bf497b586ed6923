/** Codes of the errors the CLI raises itself (library errors keep their own codes). */
export type CliErrorCode =
  /** Bad arguments or options: exit code 1. */
  | 'CLI_USAGE'
  /** Neither `--brokers`/`KAFKA_BROKERS` nor `--dev` says which bus to use: exit code 1. */
  | 'CLI_NO_BUS'
  /** Input (stdin, a dev directory file) that cannot be read as asked: exit code 2. */
  | 'CLI_BAD_INPUT'
  /** A model or version that is not in the store: exit code 2. */
  | 'CLI_MODEL_NOT_FOUND'
  /** Some dead letters could not be replayed (no source topic and no `--to`): exit code 2. */
  | 'CLI_DLQ_UNROUTABLE'
  /** A feature whose package is not installed (e.g. the dashboard): exit code 2. */
  | 'CLI_NOT_AVAILABLE';
