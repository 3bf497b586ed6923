import { describe, expect, it } from 'vitest';
import { isAuthError, isTlsError, kafkaError } from './kafkaError.js';

describe('kafkaError', () => {
  it('types authentication failures of both clients', () => {
    expect(
      isAuthError(
        Object.assign(new Error('SASL SCRAM failed'), { name: 'KafkaJSSASLAuthenticationError' }),
      ),
    ).toBe(true);
    expect(isAuthError({ message: 'Local: Authentication failure', code: -169 })).toBe(true);
    expect(isAuthError({ message: 'Broker: SASL authentication failed', code: 58 })).toBe(true);
    expect(isAuthError(new Error('Local: Broker transport failure'))).toBe(false);
    expect(kafkaError('KAFKA_ADMIN_FAILED', 'listing', { message: 'x', code: -169 }).code).toBe(
      'KAFKA_AUTH_FAILED',
    );
  });

  it('types records too large as KAFKA_RECORD_TOO_LARGE and keeps the client code', () => {
    const e = kafkaError(
      'KAFKA_DELIVERY_FAILED',
      'writing',
      { message: 'Broker: Message size too large', code: 10, type: 'MSG_SIZE_TOO_LARGE' },
      { topic: 't' },
    );
    expect(e.code).toBe('KAFKA_RECORD_TOO_LARGE');
    expect(e.details).toMatchObject({ topic: 't', kafkaCode: 10, type: 'MSG_SIZE_TOO_LARGE' });
    expect(e.message).toContain('writing');
  });

  it('types a refused broker certificate as KAFKA_CONNECTION_FAILED, from either client', () => {
    const librdkafka = {
      message:
        'ssl://127.0.0.1:9095/bootstrap: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed',
    };
    expect(isTlsError(librdkafka)).toBe(true);
    expect(isTlsError(new Error('Local: Broker transport failure'))).toBe(false);
    const e = kafkaError('KAFKA_ADMIN_FAILED', 'listing topics failed', librdkafka);
    expect(e.code).toBe('KAFKA_CONNECTION_FAILED');
    expect(e.message).toContain('listing topics failed');
    // Bad credentials stay an authentication failure.
    expect(kafkaError('KAFKA_ADMIN_FAILED', 'x', { message: 'y', code: -169 }).code).toBe(
      'KAFKA_AUTH_FAILED',
    );
  });
});
