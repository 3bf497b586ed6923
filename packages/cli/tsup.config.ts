import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineConfig({
  ...packageBuild,
  // bin.ts keeps its shebang; only the library entry has type declarations.
  entry: ['src/index.ts', 'src/bin.ts'],
  dts: { entry: 'src/index.ts' },
  define: { TRIBUTARY_CLI_VERSION: JSON.stringify(version) },
});
