import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, type Snippet, squash, withWorkspaceSources } from './snippets.js';

/** Every Markdown file whose code is checked: the root README and CONTRIBUTING, docs/*.md, each package's and example's README. */
export function docFiles(): string[] {
  const out = ['README.md', 'CONTRIBUTING.md'].map((f) => join(repoRoot, f));
  for (const name of readdirSync(join(repoRoot, 'docs')).sort()) {
    if (name.endsWith('.md')) out.push(join(repoRoot, 'docs', name));
  }
  return [...out, ...readmes()];
}

/** Every package's and example's README. */
export function readmes(): string[] {
  const out: string[] = [];
  for (const group of ['packages', 'examples']) {
    for (const name of readdirSync(join(repoRoot, group)).sort()) {
      const file = join(repoRoot, group, name, 'README.md');
      if (existsSync(file)) out.push(file);
    }
  }
  return out;
}

/** `file:line` relative to the repository, for test names and messages. */
export function where(s: Snippet): string {
  return `${relative(repoRoot, s.file)}:${s.line}`;
}

const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
const extension = (s: Snippet): string => (s.lang === 'ts' ? 'mts' : 'mjs');
const execFileAsync = promisify(execFile);
// For tsx: @tributary/* is the workspace sources for the packages' own imports too, so a run
// never mixes a package's source with another's dist/ (absent before a build, or stale).
const runTsconfig = JSON.stringify({
  extends: join(repoRoot, 'tsconfig.base.json'),
  compilerOptions: { paths: { '@tributary/*': [join(repoRoot, 'packages/*/src/index.ts')] } },
});

/**
 * Type-checks snippets as one program against the workspace sources (paths map
 * `@tributary/*` to packages/<name>/src; JavaScript blocks are checked with checkJs). Returns
 * tsc's output with each snippet's file name replaced by its Markdown place; '' when it
 * compiles.
 */
export async function typecheck(snippets: readonly Snippet[]): Promise<string> {
  // Inside the repository, so bare imports (zod, pg...) resolve from its node_modules. A fixed
  // directory with tsc's incremental build info: a rerun only checks what changed.
  const dir = join(repoRoot, '.tributary', 'snippets', 'check');
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (/^s\d+\.m[tj]s$/.test(f)) rmSync(join(dir, f));
  for (const [i, s] of snippets.entries())
    writeFileSync(join(dir, `s${i}.${extension(s)}`), s.code);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(repoRoot, 'tsconfig.base.json'),
      compilerOptions: {
        noEmit: true,
        incremental: true,
        tsBuildInfoFile: join(dir, 'tsbuildinfo'),
        allowJs: true,
        checkJs: true,
        paths: { '@tributary/*': [join(repoRoot, 'packages/*/src/index.ts')] },
      },
      include: ['*.mts', '*.mjs'],
    }),
  );
  try {
    await execFileAsync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], {
      encoding: 'utf8',
    });
    return '';
  } catch (error) {
    const out = String((error as { stdout?: string }).stdout ?? error);
    return out.replace(/(?:\S*\/)?s(\d+)\.m[tj]s\((\d+),(\d+)\)/g, (_, i, l, c) => {
      const s = snippets[Number(i)] as Snippet;
      return `${where(s)} (snippet line ${l}, col ${c})`;
    });
  }
}

/**
 * Runs a snippet as a user would (tsx, workspace sources, a scratch working directory) and
 * resolves with what it printed; asynchronous, so several snippets can run at once.
 */
export async function runSnippet(s: Snippet, env: NodeJS.ProcessEnv = {}): Promise<string> {
  // The file sits in the repository so bare imports resolve; it works in a scratch directory.
  const home = join(repoRoot, '.tributary', 'snippets-run');
  mkdirSync(home, { recursive: true });
  const dir = mkdtempSync(join(home, 'run-'));
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(tsconfig, runTsconfig);
  const cwd = mkdtempSync(join(tmpdir(), 'tributary-snippet-'));
  try {
    const file = join(dir, `snippet.${extension(s)}`);
    writeFileSync(file, withWorkspaceSources(s.code));
    const { stdout } = await execFileAsync(process.execPath, [tsx, file], {
      cwd,
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig, ...env },
    });
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** What the snippet's `// expected` comments say it prints, folded like {@link squash}. */
export function expectedOutput(s: Snippet): string {
  return squash(s.expected.join('\n'));
}
