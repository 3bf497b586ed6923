/** A text stream the CLI writes to; `isTTY` turns progress bars on (stderr). */
export interface CliOutput {
  /** Writes text as it is (lines end with their own newline). */
  write(text: string): unknown;
  /** True for a terminal: progress bars are drawn only then. */
  readonly isTTY?: boolean;
}

/** Where the CLI reads and writes: the process's streams, or others in tests and embeddings. */
export interface CliIo {
  /** What `produce` reads: one record or value per line. */
  readonly stdin: NodeJS.ReadableStream;
  /** Results: tables, pretty-printed records, or JSON with `--json`. */
  readonly stdout: CliOutput;
  /** Errors, notes and progress bars. */
  readonly stderr: CliOutput;
  /** Environment the defaults come from (KAFKA_BROKERS, KAFKA_SASL_*, SCHEMA_REGISTRY_URL, TRIBUTARY_DEV_DIR). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Called with a stop function while a command follows a topic; returns an unregister. Default: SIGINT/SIGTERM. */
  readonly onInterrupt?: (stop: () => void) => () => void;
}

/** The current process's stdin, stdout, stderr, environment and signals. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt(stop) {
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      };
    },
  };
}
