import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

it('the README snippet runs and prints what its comments say', () => {
  const readme = readFileSync(here('../README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  // Run it as a user would, with the workspace sources standing in for the published packages.
  const runnable = code!
    .replace("'@tributary/core'", JSON.stringify(here('../../core/src/index.ts')))
    .replace("'@tributary/schema'", JSON.stringify(here('./index.ts')))
    .replace("'zod'", JSON.stringify(import.meta.resolve('zod')));
  const dir = mkdtempSync(join(tmpdir(), 'schema-readme-'));
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
    // Each console.log is followed by a `// <expected output>` comment line.
    const expected = [...code!.matchAll(/console\.log\(.*\);\n\/\/ (.*)\n/g)].map((m) => m[1]);
    const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
    expect(squash(out)).toBe(squash(expected.join('\n')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
