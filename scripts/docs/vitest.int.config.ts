import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

// README snippets that need a broker: `npx vitest run -c scripts/docs/vitest.int.config.ts`.
export default defineConfig({
  resolve: { alias: workspaceAlias },
  test: {
    root: fileURLToPath(new URL('./', import.meta.url)),
    include: ['*.int.test.ts'],
    globalSetup: ['../../packages/kafka/test/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
