import { describe, expect, it } from 'vitest';
import { expectedOutput, readmes, runSnippet, typecheck, where } from './readmeSnippets.js';
import { snippetsOf, squash } from './snippets.js';

// Every README's TypeScript is compiled against the workspace sources and, unless marked
// `<!-- snippet: typecheck -->` or `<!-- snippet: kafka -->` (run by the Kafka suite), run,
// with its output compared to the `// ...` comment under each console.log.
const files = readmes();
const snippets = files.flatMap(snippetsOf);

describe('README snippets', () => {
  it('every package README has a complete snippet', () => {
    const without = files.filter(
      (f) => f.includes('/packages/') && !snippets.some((s) => s.file === f),
    );
    expect(without).toEqual([]);
  });

  it('type-check against the workspace sources', { timeout: 120_000 }, () => {
    expect(typecheck(snippets)).toBe('');
  });

  for (const s of snippets.filter((x) => x.mode === 'run')) {
    it(`${where(s)} runs and prints what its comments say`, { timeout: 120_000 }, () => {
      const out = runSnippet(s);
      if (s.expected.length > 0) expect(squash(out)).toBe(expectedOutput(s));
    });
  }
});
