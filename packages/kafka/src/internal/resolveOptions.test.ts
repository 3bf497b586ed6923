import { describe, expect, it } from 'vitest';
import { resolveOptions } from './resolveOptions.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return {
      code: (error as { code?: string }).code,
      option: (error as { details?: { option?: string } }).details?.option,
    };
  }
  return undefined;
};

describe('resolveOptions', () => {
  it('fills safe defaults: kafkajs, acks all, idempotent, read committed', () => {
    const o = resolveOptions({ brokers: '127.0.0.1:9092, 127.0.0.1:9093' });
    expect(o.client).toBe('kafkajs');
    expect(o.connection.brokers).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(o.producer).toMatchObject({ acks: -1, idempotent: true });
    expect(o.consumer.readCommitted).toBe(true);
    expect(o.exactlyOnce).toBeUndefined();
  });

  it('fails fast naming the bad option', () => {
    expect(code(() => resolveOptions({ brokers: [] }))).toEqual({
      code: 'INVALID_OPTION',
      option: 'brokers',
    });
    expect(code(() => resolveOptions({ brokers: 'localhost' }))).toEqual({
      code: 'INVALID_OPTION',
      option: 'brokers',
    });
    expect(code(() => resolveOptions({ brokers: 'h:1', client: 'rdkafka' as 'kafkajs' }))).toEqual({
      code: 'INVALID_OPTION',
      option: 'client',
    });
    expect(code(() => resolveOptions({ brokers: 'h:1', producer: { acks: 1 } }))).toEqual({
      code: 'INVALID_OPTION',
      option: 'producer.acks',
    });
    expect(
      code(() =>
        resolveOptions({
          brokers: 'h:1',
          consumer: { sessionTimeoutMs: 6000, heartbeatIntervalMs: 6000 },
        }),
      ),
    ).toEqual({ code: 'INVALID_OPTION', option: 'consumer.heartbeatIntervalMs' });
    expect(
      code(() =>
        resolveOptions({
          brokers: 'h:1',
          sasl: { mechanism: 'gssapi' as 'plain', username: 'u', password: 'p' },
        }),
      ),
    ).toEqual({ code: 'INVALID_OPTION', option: 'sasl.mechanism' });
    expect(
      code(() => resolveOptions({ brokers: 'h:1', exactlyOnce: { transactionalId: '' } })),
    ).toEqual({
      code: 'INVALID_OPTION',
      option: 'exactlyOnce.transactionalId',
    });
  });

  it('allows acks 1 without idempotence, and forces idempotence for exactly-once', () => {
    expect(
      resolveOptions({ brokers: 'h:1', producer: { acks: 1, idempotent: false } }).producer.acks,
    ).toBe(1);
    const eos = resolveOptions({ brokers: 'h:1', exactlyOnce: { transactionalId: 'w-0' } });
    expect(eos.producer.idempotent).toBe(true);
    expect(eos.exactlyOnce).toEqual({ transactionalId: 'w-0', transactionTimeoutMs: 60_000 });
  });
});
