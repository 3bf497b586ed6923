import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const sources = fileURLToPath(new URL('./tsconfig.sources.json', import.meta.url));

/** What one `tributary` child process printed and how it exited. */
export interface SpawnResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `tributary <args>` as users do: a child process (tsx on the sources), with `env` over
 * this process's environment (no dev directory) and `stdinFile`, when given, as its stdin.
 */
export function spawnCli(
  args: readonly string[],
  env: Record<string, string>,
  stdinFile?: string,
): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, '--tsconfig', sources, bin, ...args], {
      env: { ...process.env, TRIBUTARY_DEV_DIR: '', ...env },
      stdio: [stdinFile === undefined ? 'ignore' : openSync(stdinFile, 'r'), 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The child's stdout, or an error with its exit code and stderr when it did not exit 0. */
export function stdoutOf(r: SpawnResult): string {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** The child's stdout as JSON lines (`--json` output of a streaming command), when it exited 0. */
export function jsonLines(r: SpawnResult): Record<string, unknown>[] {
  return stdoutOf(r)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
