import { describe, expect, it } from 'vitest';
import type { AdapterProducer, OutMessage } from './adapter.js';
import { ModelCatalog } from './modelCatalog.js';
import { ModelPublisher } from './modelPublisher.js';

const snapshot = { type: 'test', version: 1 as const, options: {}, state: { w: 1 } };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A producer that records what it sends; `fail` makes the next send throw. */
function recordingProducer() {
  const sent: OutMessage[] = [];
  const state = { fail: undefined as Error | undefined, connects: 0, disconnects: 0 };
  const producer = {
    connect: async () => {},
    send: async (_topic: string, messages: readonly OutMessage[]) => {
      const error = state.fail;
      state.fail = undefined;
      if (error !== undefined) throw error;
      sent.push(...messages);
    },
    begin: () => Promise.reject(new Error('not transactional')),
    disconnect: async () => {
      state.disconnects++;
    },
  } satisfies AdapterProducer;
  const connect = async () => {
    state.connects++;
    return producer;
  };
  return { sent, state, connect };
}

const publisherOn = (p: ReturnType<typeof recordingProducer>, maxMessageBytes = 1_000_000) =>
  new ModelPublisher({
    topic: 'models',
    partition: 0,
    maxMessageBytes,
    now: () => 42,
    connect: p.connect,
  });

/** Plays the follower: applies what was sent to a catalog and reads each version back. */
function readBack(publisher: ModelPublisher, sent: OutMessage[], catalog = new ModelCatalog(10)) {
  sent.forEach((m, offset) => {
    const key = (m.key as Buffer).toString('utf8');
    const added = catalog.apply(offset, key, m.value === null ? null : m.value.toString('utf8'));
    if (added !== undefined) publisher.readBack(key, added);
  });
}

describe('ModelPublisher', () => {
  it('resolves a save with the version the follower read back, under a key unique per save', async () => {
    const p = recordingProducer();
    const publisher = publisherOn(p);
    const first = publisher.save('m', snapshot, { run: 1 });
    await tick();
    expect(p.sent).toHaveLength(1);
    readBack(publisher, p.sent);
    await expect(first).resolves.toMatchObject({
      name: 'm',
      version: 1,
      savedAt: 42,
      metadata: { run: 1 },
    });
    const second = publisher.save('m', snapshot, {});
    await tick();
    readBack(publisher, p.sent);
    await expect(second).resolves.toMatchObject({ version: 2 });
    expect(new Set(p.sent.map((m) => m.key?.toString('utf8'))).size).toBe(2);
    expect(p.sent.every((m) => m.partition === 0)).toBe(true);
    expect(p.state.connects).toBe(1);
  });

  it('refuses a save over maxMessageBytes before sending it', async () => {
    const p = recordingProducer();
    await expect(publisherOn(p, 100).save('m', snapshot, {})).rejects.toMatchObject({
      code: 'KAFKA_RECORD_TOO_LARGE',
      details: { topic: 'models', model: 'm', limit: 100 },
    });
    expect(p.sent).toEqual([]);
  });

  it('a failed send is KAFKA_DELIVERY_FAILED; the next save goes through', async () => {
    const p = recordingProducer();
    const publisher = publisherOn(p);
    p.state.fail = new Error('broker gone');
    await expect(publisher.save('m', snapshot, {})).rejects.toMatchObject({
      code: 'KAFKA_DELIVERY_FAILED',
    });
    const next = publisher.save('m', snapshot, {});
    await tick();
    readBack(publisher, p.sent);
    await expect(next).resolves.toMatchObject({ version: 1 });
  });

  it('sends tombstones for the given keys', async () => {
    const p = recordingProducer();
    await publisherOn(p).tombstone(['k1', 'k2'], 'm');
    expect(p.sent.map((m) => [m.key?.toString('utf8'), m.value, m.partition])).toEqual([
      ['k1', null, 0],
      ['k2', null, 0],
    ]);
  });

  it('close fails the waiting saves, disconnects and refuses later saves', async () => {
    const p = recordingProducer();
    const publisher = publisherOn(p);
    const waiting = publisher.save('m', snapshot, {});
    await tick();
    const reason = new Error('closed');
    await publisher.close(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(p.state.disconnects).toBe(1);
    await expect(publisher.save('m', snapshot, {})).rejects.toMatchObject({
      code: 'KAFKA_MODEL_STORE_FAILED',
    });
  });
});
