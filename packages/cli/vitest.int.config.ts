import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

// The CLI end to end on the local broker: `npx vitest run -c packages/cli/vitest.int.config.ts`.
export default defineConfig({
  resolve: { alias: workspaceAlias },
  test: {
    root: fileURLToPath(new URL('./', import.meta.url)),
    include: ['src/**/*.int.test.ts'],
    globalSetup: ['../kafka/test/globalSetup.ts', '../schema/test/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
