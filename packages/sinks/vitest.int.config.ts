import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

// Integration tests against a real PostgreSQL server and kill -9 crash tests:
//   npx vitest run -c packages/sinks/vitest.int.config.ts
// starts scripts/postgres/postgres unless DATABASE_URL is set.
export default defineConfig({
  resolve: { alias: workspaceAlias },
  test: {
    root: fileURLToPath(new URL('./', import.meta.url)),
    include: ['src/**/*.int.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
