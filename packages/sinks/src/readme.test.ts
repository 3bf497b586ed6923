import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

it('the README snippet runs and prints what its comment says', () => {
  const readme = readFileSync(here('../README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  // Run as a user would, with the workspace sources standing in for the published packages.
  const runnable = (code as string)
    .replace("'@tributary/core'", JSON.stringify(here('../../core/src/index.ts')))
    .replace("'@tributary/sinks'", JSON.stringify(here('./index.ts')));
  const dir = mkdtempSync(join(tmpdir(), 'sinks-readme-'));
  try {
    const file = join(dir, 'snippet.mts');
    writeFileSync(file, runnable);
    const out = execFileSync(
      process.execPath,
      [here('../../../node_modules/tsx/dist/cli.mjs'), file],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const expected = /console\.log\(.*\);\n\/\/ (.*)\n/.exec(code as string)?.[1];
    const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
    expect(squash(out)).toBe(squash(expected as string));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
