import { describe, expect, it } from 'vitest';
import { docFiles, expectedOutput, readmes, runSnippet, typecheck, where } from './docSnippets.js';
import { snippetsOf, squash } from './snippets.js';

// Every TypeScript and JavaScript block of the READMEs, CONTRIBUTING.md and docs/ is compiled
// against the workspace sources, in one program. Blocks that print (or are marked
// `<!-- snippet: run -->`) also run, with their output compared to the `// ...` comment under
// each console.log; `<!-- snippet: kafka -->` blocks run in the Kafka suite. A block that is
// not a complete example must be marked `<!-- snippet: fragment: why -->`.
const files = docFiles();
const snippets = files.flatMap(snippetsOf);
const compiled = snippets.filter((s) => s.mode !== 'fragment');

describe('doc snippets', () => {
  it('every block is a complete example or a marked fragment', () => {
    const incomplete = compiled.filter((s) => !s.complete).map(where);
    expect(incomplete).toEqual([]);
  });

  it('every package README has a complete snippet', () => {
    const without = readmes().filter(
      (f) => f.includes('/packages/') && !compiled.some((s) => s.file === f),
    );
    expect(without).toEqual([]);
  });

  it('type-check against the workspace sources', { timeout: 180_000 }, () => {
    expect(typecheck(compiled.filter((s) => s.complete))).toBe('');
  });

  for (const s of compiled.filter((x) => x.mode === 'run' && x.complete)) {
    it(`${where(s)} runs and prints what its comments say`, { timeout: 120_000 }, () => {
      const out = runSnippet(s);
      if (s.expected.length > 0) expect(squash(out)).toBe(expectedOutput(s));
    });
  }
});
