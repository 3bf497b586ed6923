import { describe, expect, it } from 'vitest';
import { kafkaBus } from './kafkaBus.js';
import { kafkaModelStore } from './kafkaModelStore.js';

const optionOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { details?: { option?: string } }).details?.option;
  }
  return undefined;
};

describe('kafkaModelStore (no broker needed)', () => {
  const bus = kafkaBus({ brokers: '127.0.0.1:1', logLevel: 'nothing' });

  it('checks its options when it is made, before connecting', () => {
    expect(optionOf(() => kafkaModelStore(bus, { topic: '' }))).toBe('topic');
    expect(optionOf(() => kafkaModelStore(bus, { topic: 'm', keep: 0 }))).toBe('keep');
    expect(optionOf(() => kafkaModelStore(bus, { topic: 'm', keep: 1.5 }))).toBe('keep');
    expect(optionOf(() => kafkaModelStore(bus, { topic: 'm', replicationFactor: 0 }))).toBe(
      'replicationFactor',
    );
    expect(optionOf(() => kafkaModelStore(bus, { topic: 'm', now: 5 as never }))).toBe('now');
    expect(kafkaModelStore(bus, { topic: 'm', keep: 3, replicationFactor: -1 }).topic).toBe('m');
  });

  it('refuses every call once closed, without touching the network', async () => {
    const store = kafkaModelStore(bus, { topic: 'm' });
    await store.close();
    await expect(store.versions('m')).rejects.toMatchObject({ code: 'KAFKA_MODEL_STORE_FAILED' });
    await expect(store.load('m')).rejects.toMatchObject({ code: 'KAFKA_MODEL_STORE_FAILED' });
  });
});
