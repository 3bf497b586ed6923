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

  it('what a guide prints is stated under each console.log (docs/, CONTRIBUTING, root README)', () => {
    const unstated = compiled
      .filter((s) => s.mode === 'run' && s.unstated > 0 && !readmes().includes(s.file))
      .map(where);
    expect(unstated).toEqual([]);
  });

  it('every package README has a complete snippet', () => {
    const without = readmes().filter(
      (f) => f.includes('/packages/') && !compiled.some((s) => s.file === f),
    );
    expect(without).toEqual([]);
  });

  // One program for every block, first and alone (it is the slow part).
  it('type-check against the workspace sources', { timeout: 240_000 }, async () => {
    expect(await typecheck(compiled.filter((s) => s.complete))).toBe('');
  });

  // Each run is a child process, so they go a few at a time (vitest's maxConcurrency).
  for (const s of compiled.filter((x) => x.mode === 'run' && x.complete)) {
    it.concurrent(`${where(s)} runs and prints what its comments say`, {
      timeout: 240_000,
    }, async ({ expect }) => {
      const out = await runSnippet(s);
      if (s.expected.length > 0) expect(squash(out)).toBe(expectedOutput(s));
    });
  }
});
