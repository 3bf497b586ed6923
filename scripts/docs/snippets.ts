import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How a code block of a README is checked, set by a `<!-- snippet: MODE -->` line before it. */
export type SnippetMode = 'run' | 'typecheck' | 'kafka';

/** A TypeScript code block of a Markdown file. */
export interface Snippet {
  readonly file: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
  readonly code: string;
  readonly mode: SnippetMode;
  /** For each `console.log(...)` line followed by a `// text` line: that text, in order. */
  readonly expected: readonly string[];
}

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const MODES = new Set<SnippetMode>(['run', 'typecheck', 'kafka']);

/**
 * The complete TypeScript blocks of a Markdown file: those with an import (fragments that
 * continue a previous block are left out). Mode defaults to `run`.
 */
export function snippetsOf(file: string): Snippet[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] as string)) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] as string);
    const code = `${body.join('\n')}\n`;
    if (!/^import\s/m.test(code)) continue;
    const marker = /^<!--\s*snippet:\s*(\S+)\s*-->$/.exec(lines[start - 1] ?? '')?.[1];
    if (marker !== undefined && !MODES.has(marker as SnippetMode)) {
      throw new Error(`${file}:${start}: unknown snippet mode "${marker}"`);
    }
    const expected = [...code.matchAll(/console\.log\(.*\);\n\/\/ (.*)\n/g)].map(
      (m) => m[1] as string,
    );
    out.push({ file, line: start + 1, code, mode: (marker as SnippetMode) ?? 'run', expected });
  }
  return out;
}

/** `code` with `@tributary/<pkg>` imports pointing at the workspace sources (no build needed). */
export function withWorkspaceSources(code: string): string {
  return code.replace(/'@tributary\/([a-z-]+)'/g, (_, pkg: string) =>
    JSON.stringify(`${repoRoot}packages/${pkg}/src/index.ts`),
  );
}

/** Output as compared: runs of white space folded, trimmed. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
