import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

// Integration tests against a real schema registry:
//   npx vitest run -c packages/schema/vitest.int.config.ts
// starts scripts/registry/registry unless SCHEMA_REGISTRY_URL is set.
export default defineConfig({
  resolve: { alias: workspaceAlias },
  test: {
    root: fileURLToPath(new URL('./', import.meta.url)),
    include: ['src/**/*.int.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
