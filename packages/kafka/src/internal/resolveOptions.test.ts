import kafkajs, { CompressionTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { rdkafkaSecurity } from './confluentAdapter.js';
import { resolveOptions } from './resolveOptions.js';

// Shapes only: validation looks for the PEM armour, the clients parse the rest.
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIGHfake\n-----END PRIVATE KEY-----\n';

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

  it('profiles set client defaults; explicit options win; no profile keeps each client default', () => {
    const plain = resolveOptions({ brokers: 'h:1', client: 'confluent-native' });
    expect(plain.client).toBe('confluent-native');
    expect(plain.producer.lingerMs).toBe(5);
    expect(plain.consumer.fetchMaxWaitMs).toBeUndefined();
    const latency = resolveOptions({ brokers: 'h:1', profile: 'latency' });
    expect([latency.producer.lingerMs, latency.consumer.fetchMaxWaitMs]).toEqual([2, 5]);
    const throughput = resolveOptions({ brokers: 'h:1', profile: 'throughput' });
    expect([throughput.producer.lingerMs, throughput.consumer.fetchMaxWaitMs]).toEqual([10, 100]);
    const mixed = resolveOptions({
      brokers: 'h:1',
      profile: 'latency',
      producer: { lingerMs: 2 },
      consumer: { fetchMaxWaitMs: 50 },
    });
    expect([mixed.producer.lingerMs, mixed.consumer.fetchMaxWaitMs]).toEqual([2, 50]);
    expect(code(() => resolveOptions({ brokers: 'h:1', profile: 'fast' as 'latency' }))).toEqual({
      code: 'INVALID_OPTION',
      option: 'profile',
    });
    expect(
      code(() => resolveOptions({ brokers: 'h:1', consumer: { fetchMaxWaitMs: -1 } })),
    ).toEqual({ code: 'INVALID_OPTION', option: 'consumer.fetchMaxWaitMs' });
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

  it('refuses a codec kafkajs cannot write, unless it is registered; the Confluent clients take all', () => {
    for (const codec of ['snappy', 'lz4', 'zstd'] as const) {
      expect(
        code(() => resolveOptions({ brokers: 'h:1', producer: { compression: codec } })),
      ).toEqual({
        code: 'INVALID_OPTION',
        option: 'producer.compression',
      });
      expect(
        resolveOptions({ brokers: 'h:1', client: 'confluent', producer: { compression: codec } })
          .producer.compression,
      ).toBe(codec);
    }
    expect(
      resolveOptions({ brokers: 'h:1', producer: { compression: 'gzip' } }).producer.compression,
    ).toBe('gzip');
    const codecs = kafkajs.CompressionCodecs as Record<number, unknown>;
    const placeholder = codecs[CompressionTypes.ZSTD];
    codecs[CompressionTypes.ZSTD] = () => ({
      compress: async (b: Buffer) => b,
      decompress: async (b: Buffer) => b,
    });
    try {
      expect(
        resolveOptions({ brokers: 'h:1', producer: { compression: 'zstd' } }).producer.compression,
      ).toBe('zstd');
    } finally {
      codecs[CompressionTypes.ZSTD] = placeholder;
    }
  });

  it('allows acks 1 without idempotence, and forces idempotence for exactly-once', () => {
    expect(
      resolveOptions({ brokers: 'h:1', producer: { acks: 1, idempotent: false } }).producer.acks,
    ).toBe(1);
    const eos = resolveOptions({ brokers: 'h:1', exactlyOnce: { transactionalId: 'w-0' } });
    expect(eos.producer.idempotent).toBe(true);
    expect(eos.exactlyOnce).toEqual({ transactionalId: 'w-0', transactionTimeoutMs: 60_000 });
  });

  it('takes ssl PEM as a string or a Buffer, the same for both clients', () => {
    const fromString = resolveOptions({ brokers: 'h:1', ssl: { ca: CERT } }).connection;
    const fromBuffer = resolveOptions({
      brokers: 'h:1',
      ssl: { ca: Buffer.from(CERT) },
    }).connection;
    expect(rdkafkaSecurity(fromBuffer)).toEqual(rdkafkaSecurity(fromString));
    expect(rdkafkaSecurity(fromString)).toEqual({ 'security.protocol': 'ssl', 'ssl.ca.pem': CERT });
    const mutual = resolveOptions({
      brokers: 'h:1',
      ssl: { ca: CERT, cert: Buffer.from(CERT), key: KEY, rejectUnauthorized: false },
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
    }).connection;
    expect(rdkafkaSecurity(mutual)).toMatchObject({
      'security.protocol': 'sasl_ssl',
      'ssl.certificate.pem': CERT,
      'ssl.key.pem': KEY,
      'enable.ssl.certificate.verification': false,
    });
    // System CAs.
    expect(rdkafkaSecurity(resolveOptions({ brokers: 'h:1', ssl: true }).connection)).toEqual({
      'security.protocol': 'ssl',
    });
  });

  it('refuses ssl values neither client can use, naming the option', () => {
    const fail = (ssl: unknown) => {
      try {
        resolveOptions({ brokers: 'h:1', ssl: ssl as true });
      } catch (error) {
        const e = error as { code: string; message: string; details: { option: string } };
        return { code: e.code, option: e.details.option, message: e.message };
      }
      return undefined;
    };
    // A file path instead of its contents: the usual mistake.
    expect(fail({ ca: '/etc/kafka/ca.pem' })).toMatchObject({
      code: 'INVALID_OPTION',
      option: 'ssl.ca',
      message: expect.stringContaining('not a file path'),
    });
    expect(fail({ ca: Buffer.from('not pem') })?.option).toBe('ssl.ca');
    expect(fail({ cert: 'x', key: KEY })?.option).toBe('ssl.cert');
    expect(fail({ cert: CERT })?.option).toBe('ssl.key');
    expect(fail({ key: KEY })?.option).toBe('ssl.cert');
    expect(fail({ rejectUnauthorized: 'no' })?.option).toBe('ssl.rejectUnauthorized');
    expect(fail('yes')?.option).toBe('ssl');
    // A key that is not PEM is never echoed.
    const badKey = fail({ cert: CERT, key: 'hunter2' });
    expect(badKey?.option).toBe('ssl.key');
    expect(badKey?.message).not.toContain('hunter2');
  });
});
