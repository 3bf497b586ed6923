import { defineConfig } from 'vitest/config';
import { workspaceAlias } from './vitest.shared.js';

// Tests import workspace packages from source, so no build is needed to run them.
// Type tests (*.test-d.ts) are compiled by each package's `tsc --noEmit` (npm run typecheck).
export default defineConfig({
  resolve: { alias: workspaceAlias },
  test: {
    include: [
      '{packages,examples,bench}/*/src/**/*.test.ts',
      'bench/src/**/*.test.ts',
      'scripts/docs/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.int.test.ts'],
    testTimeout: 20_000,
  },
});
