/** Exit codes of `tributary`: 0 done, 1 usage error (bad arguments), 2 runtime error. */
export const ExitCode = {
  /** The command did what it was asked. */
  ok: 0,
  /** Bad arguments or options, or no bus named: nothing was done. */
  usage: 1,
  /** The command failed while running (broker, registry, input or store error). */
  runtime: 2,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
