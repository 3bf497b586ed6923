import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Integration tests against a real broker: `npx vitest run -c packages/kafka/vitest.int.config.ts`.
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
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One broker on a small machine: files run one after another.
    fileParallelism: false,
  },
});
