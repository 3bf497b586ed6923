import { describe, expect, it, vi } from 'vitest';

// Simulates a machine where the optional client is not installed.
vi.mock('@confluentinc/kafka-javascript', () => {
  throw new Error("Cannot find module '@confluentinc/kafka-javascript'");
});

describe('loadConfluent', () => {
  it('explains how to install the optional client (KAFKA_CLIENT_MISSING)', async () => {
    const { loadConfluent } = await import('./confluentAdapter.js');
    const error = await loadConfluent().then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).toBe('KAFKA_CLIENT_MISSING');
    expect(error?.message).toContain('CKJS_LINKING=dynamic');
    expect(error?.message).toContain('librdkafka-dev');
  });
});
