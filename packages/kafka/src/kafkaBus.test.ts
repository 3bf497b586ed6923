import { describe, expect, it } from 'vitest';
import { deadLetterTopic } from './deadLetterTopic.js';
import { kafkaBus } from './kafkaBus.js';
import { kafkaStateStore } from './kafkaStateStore.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (
      (error as { code?: string; details?: { option?: string } }).details?.option ??
      (error as { code?: string }).code
    );
  }
  return undefined;
};

describe('kafkaBus (no broker needed)', () => {
  const bus = kafkaBus({ brokers: '127.0.0.1:1', logLevel: 'nothing' });

  it('is a Bus of bytes on kafkajs by default', () => {
    expect(bus.kind).toBe('kafka');
    expect(bus.client).toBe('kafkajs');
    expect(bus.exactlyOnce).toBe(false);
    expect(kafkaBus({ brokers: 'h:1', exactlyOnce: { transactionalId: 'x' } }).exactlyOnce).toBe(
      true,
    );
  });

  it('checks source, sink, state and dead-letter options when they are made', () => {
    expect(codeOf(() => bus.source({ topic: '', group: 'g' }))).toBe('topic');
    expect(codeOf(() => bus.source({ topic: 't', group: '' }))).toBe('group');
    expect(codeOf(() => bus.source({ topic: 't', group: 'g', from: 'middle' as 'earliest' }))).toBe(
      'from',
    );
    expect(codeOf(() => bus.source({ topic: 't', group: 'g', maxBatchSize: 0 }))).toBe(
      'maxBatchSize',
    );
    expect(codeOf(() => bus.sink({ topic: '' }))).toBe('topic');
    expect(codeOf(() => kafkaStateStore(bus, { topic: '' }))).toBe('topic');
    expect(codeOf(() => deadLetterTopic(bus, ''))).toBe('topic');
    expect(bus.source({ topic: ['a', 'b'], group: 'g' }).name).toBe('kafka:a,b');
    expect(bus.sink({ topic: 'out' }).name).toBe('kafka:out');
  });

  it('refuses a record over producer.maxMessageBytes before sending anything', async () => {
    const sink = bus.sink<string>({ topic: 't' });
    const record = (value: string) => ({ key: 'k', value, headers: {}, timestamp: 0 });
    await expect(
      sink.write([record('small'), record('x'.repeat(2_000_000))]),
    ).rejects.toMatchObject({
      code: 'KAFKA_RECORD_TOO_LARGE',
      details: { topic: 't', index: 1, limit: 1_048_588 },
    });
  });

  it('rejects bad topic specs before calling the broker', async () => {
    await expect(bus.admin.ensureTopics([{ topic: 't', partitions: 0 }])).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      details: { option: 'topics[0].partitions' },
    });
  });
});
