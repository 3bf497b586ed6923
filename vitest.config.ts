import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from source, so no build is needed to run them.
// Type tests (*.test-d.ts) are compiled by each package's `tsc --noEmit` (npm run typecheck).
const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@tributary\/(core|kafka|schema|features|learn|monitor|sinks)$/,
        replacement: `${packagesDir}$1/src/index.ts`,
      },
    ],
  },
  test: {
    include: ['{packages,examples,bench}/*/src/**/*.test.ts', 'bench/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.int.test.ts'],
    testTimeout: 20_000,
  },
});
