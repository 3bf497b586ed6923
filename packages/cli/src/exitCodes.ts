/** Exit codes of `tributary`: 0 done, 1 usage error (bad arguments), 2 runtime error. */
export const ExitCode = {
  ok: 0,
  usage: 1,
  runtime: 2,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
