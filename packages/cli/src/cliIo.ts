/** A text stream the CLI writes to; `isTTY` turns progress bars on (stderr). */
export interface CliOutput {
  /** Writes text as it is (lines end with their own newline). */
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Where the CLI reads and writes: the process's streams, or others in tests and embeddings. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
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
