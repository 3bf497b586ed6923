import { describe, expect, it, vi } from 'vitest';
import { kafkaBus } from '../kafkaBus.js';

// Simulates a machine where the optional client is not installed.
vi.mock('@confluentinc/kafka-javascript', () => {
  throw new Error("Cannot find module '@confluentinc/kafka-javascript'");
});

const installHint = {
  code: 'KAFKA_CLIENT_MISSING',
  message: expect.stringMatching(
    /npm install @confluentinc\/kafka-javascript.*libssl-dev libsasl2-dev.*CKJS_LINKING=dynamic npm install @confluentinc\/kafka-javascript/s,
  ),
};

describe('loadConfluent', () => {
  it('explains how to install the optional client (KAFKA_CLIENT_MISSING)', async () => {
    const { loadConfluent } = await import('./confluentAdapter.js');
    await expect(loadConfluent()).rejects.toMatchObject(installHint);
  });

  it("a bus with client: 'confluent' fails with that error on first use, not at import", async () => {
    const bus = kafkaBus({ brokers: '127.0.0.1:1', client: 'confluent', logLevel: 'nothing' });
    await expect(bus.admin.listTopics()).rejects.toMatchObject(installHint);
    await bus.close();
  });
});
