import { describe, expect, it } from 'vitest';
import { kafkaRunProfile } from './kafkaRunProfile.js';

describe('kafkaRunProfile', () => {
  it('gives the runtime options of each profile, as a fresh object', () => {
    expect(kafkaRunProfile('latency')).toMatchObject({ lingerMs: 0 });
    expect(kafkaRunProfile('throughput').batchSize).toBeGreaterThan(
      kafkaRunProfile('latency').batchSize,
    );
    const a: { lingerMs: number } = kafkaRunProfile('latency');
    a.lingerMs = 99;
    expect(kafkaRunProfile('latency').lingerMs).toBe(0);
  });

  it('rejects an unknown profile', () => {
    expect(() => kafkaRunProfile('fast' as 'latency')).toThrowError(/unknown Kafka profile/);
  });
});
