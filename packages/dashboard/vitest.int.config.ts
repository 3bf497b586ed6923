import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

// The dashboard in a real browser (Debian's chromium driven by playwright-core):
//   npx vitest run -c packages/dashboard/vitest.int.config.ts
// It saves docs/images/dashboard.png. Under CI=true a missing Chromium fails the run.
export default defineConfig({
  resolve: { alias: workspaceAlias },
  test: {
    root: fileURLToPath(new URL('./', import.meta.url)),
    include: ['src/**/*.int.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
