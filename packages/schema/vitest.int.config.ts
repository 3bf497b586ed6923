import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Integration tests against a real schema registry:
//   npx vitest run -c packages/schema/vitest.int.config.ts
// starts scripts/registry/registry unless SCHEMA_REGISTRY_URL is set.
const packagesDir = fileURLToPath(new URL('../', import.meta.url));

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
    root: fileURLToPath(new URL('./', import.meta.url)),
    include: ['src/**/*.int.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
