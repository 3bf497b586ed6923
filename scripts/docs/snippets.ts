import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * How a code block of a Markdown file is checked, set by a `<!-- snippet: MODE -->` line before
 * it: `run` (compiled, run, output compared), `typecheck` (compiled only), `kafka` (run by the
 * Kafka suite) or `fragment` (not compiled; the marker must say why, `fragment: reason`).
 */
export type SnippetMode = 'run' | 'typecheck' | 'kafka' | 'fragment';

/** A TypeScript or JavaScript code block of a Markdown file. */
export interface Snippet {
  readonly file: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
  readonly lang: 'ts' | 'js';
  readonly code: string;
  readonly mode: SnippetMode;
  /** Whether the mode came from a marker line rather than the default. */
  readonly marked: boolean;
  /** A complete example: it has an import (or a marker says to compile it as it is). */
  readonly complete: boolean;
  /** Why a fragment is not compiled (the marker's text after `fragment:`). */
  readonly reason: string;
  /** The `// text` (or `// → text`) lines under each one-line `console.log(...);`, in order. */
  readonly expected: readonly string[];
  /** How many `console.log` calls have no such lines under them (their output is not compared). */
  readonly unstated: number;
}

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const MODES = new Set<SnippetMode>(['run', 'typecheck', 'kafka', 'fragment']);
const FENCE = /^```(ts|typescript|js|javascript|mjs)\s*$/;
const MARKER = /^<!--\s*snippet:\s*([a-z]+)(?:\s*:\s*(.*?))?\s*-->$/;

/**
 * Every TypeScript and JavaScript block of a Markdown file. Without a marker, a block with an
 * import is `run` when it prints (`console.log`) and `typecheck` otherwise; a block without
 * one is incomplete, which the test reports unless a marker says what it is.
 */
export function snippetsOf(file: string): Snippet[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i] as string);
    if (fence === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] as string);
    const code = `${body.join('\n')}\n`;
    const marker = MARKER.exec(lines[start - 1] ?? '');
    const mode = marker?.[1];
    if (mode !== undefined && !MODES.has(mode as SnippetMode)) {
      throw new Error(`${file}:${start}: unknown snippet mode "${mode}"`);
    }
    const reason = marker?.[2] ?? '';
    if (mode === 'fragment' && reason === '') {
      throw new Error(`${file}:${start}: say why it is a fragment: <!-- snippet: fragment: … -->`);
    }
    const hasImport = /^import\s/m.test(code);
    const prints = /console\.log\(/.test(code);
    out.push({
      file,
      line: start + 1,
      lang: fence[1]?.startsWith('t') ? 'ts' : 'js',
      code,
      mode: (mode as SnippetMode | undefined) ?? (prints ? 'run' : 'typecheck'),
      marked: mode !== undefined,
      complete: hasImport || (mode !== undefined && mode !== 'fragment'),
      reason,
      expected: expectedLines(code),
      unstated: code
        .split('\n')
        .filter((l, i, all) => /console\.log\(/.test(l) && !isStated(all, i)).length,
    });
  }
  return out;
}

// A console.log call on one line, followed by its output as `// text` lines (or `// → text`).
const isStated = (lines: readonly string[], i: number): boolean =>
  /console\.log\(.*\);\s*$/.test(lines[i] as string) && /^\/\/ /.test(lines[i + 1] ?? '');

function expectedLines(code: string): string[] {
  const lines = code.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/console\.log\(/.test(lines[i] as string) || !isStated(lines, i)) continue;
    for (let j = i + 1; /^\/\/ /.test(lines[j] ?? ''); j++) {
      out.push((lines[j] as string).replace(/^\/\/ (?:→ )?/, ''));
    }
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
