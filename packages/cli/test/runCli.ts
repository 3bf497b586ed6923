import { Readable } from 'node:stream';
import type { CliIo } from '../src/cliIo.js';
import { main } from '../src/main.js';

/** What one in-process `tributary` invocation printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `main(args)` with `stdin` as input and captured output; each call is a new "process" of the CLI. */
export async function runCli(
  args: readonly string[],
  options: {
    stdin?: string;
    env?: Record<string, string>;
    interrupt?: (stop: () => void) => void;
  } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: options.env ?? {},
    onInterrupt: (stop) => {
      options.interrupt?.(stop);
      return () => {};
    },
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** The JSON lines of an output. */
export function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}
