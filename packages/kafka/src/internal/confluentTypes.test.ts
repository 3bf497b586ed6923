import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CONFLUENT_PACKAGE } from './confluentAdapter.js';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const hidden = `/node_modules/${CONFLUENT_PACKAGE}`;
const isHidden = (path: string) => path.replaceAll('\\', '/').includes(hidden);

/** A compiler host on which the optional client is not installed, whether it is or not. */
function hostWithoutConfluent(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile } = host;
  host.fileExists = (path) => !isHidden(path) && fileExists.call(host, path);
  host.readFile = (path) => (isHidden(path) ? undefined : readFile.call(host, path));
  host.directoryExists = (path) => !isHidden(path) && ts.sys.directoryExists(path);
  return host;
}

/** Type errors of packages/kafka (sources and tests) as `npm run typecheck` compiles it. */
function typeErrors(hide: boolean) {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(packageDir, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (config === undefined) throw new Error('packages/kafka/tsconfig.json did not parse');
  const host = hide ? hostWithoutConfluent(config.options) : ts.createCompilerHost(config.options);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  const resolved = ts.resolveModuleName(
    CONFLUENT_PACKAGE,
    join(packageDir, 'src/internal/confluentAdapter.ts'),
    config.options,
    host,
  ).resolvedModule;
  const errors = new Map<string, string>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    // By place and code: the wording may name types differently from one program to another.
    const at = d.file?.getLineAndCharacterOfPosition(d.start ?? 0);
    const key = `${d.file?.fileName}:${at?.line}:${at?.character}: TS${d.code}`;
    errors.set(key, ts.formatDiagnostic(d, { ...host, getNewLine: () => '\n' }).trim());
  }
  return { errors, resolved, files: program.getRootFileNames() };
}

describe('without the optional Confluent client', () => {
  // Compared with the same compilation where the client is visible, so type errors that
  // work elsewhere in the tree may cause do not count here: only those its absence adds.
  it('the package and its tests type-check as well as with it (typed by confluentTypes.ts)', () => {
    const without = typeErrors(true);
    expect(without.resolved).toBeUndefined();
    expect(without.files).toContain(join(packageDir, 'test/helpers.ts'));
    const withIt = typeErrors(false);
    const added = [...without.errors].filter(([key]) => !withIt.errors.has(key));
    expect(added.map(([, message]) => message)).toEqual([]);
  }, 180_000);
});
