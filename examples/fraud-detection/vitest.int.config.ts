import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

// The fraud flow on a real broker, started like packages/kafka's (or KAFKA_BROKERS):
// `npx vitest run -c examples/fraud-detection/vitest.int.config.ts`.
export default defineConfig({
  resolve: { alias: workspaceAlias },
  test: {
    root: fileURLToPath(new URL('./', import.meta.url)),
    include: ['src/**/*.int.test.ts'],
    globalSetup: ['../../packages/kafka/test/globalSetup.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
