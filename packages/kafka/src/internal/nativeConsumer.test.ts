import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsumerHandlers, ConsumerSettings, InBatch } from './adapter.js';
import { CompatLogger } from './confluentAdapter.js';
import type { ConfluentModule, NConsumer, NMessage } from './confluentTypes.js';
import { nativeConsumer } from './nativeConsumer.js';

const settings: ConsumerSettings = {
  groupId: 'g',
  fromBeginning: true,
  maxBatchSize: 500,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3000,
  maxPollIntervalMs: 300_000,
  readCommitted: true,
  concurrency: 16,
  fetchMaxWaitMs: undefined,
};

const records = (partition: number, from: number, n: number): NMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    topic: 't',
    partition,
    offset: from + i,
    key: null,
    value: Buffer.from('v'),
  }));

/** A fake librdkafka consumer: each consume call waits for the test to answer it. */
function fakeModule() {
  const calls: { n: number; answer: (messages: NMessage[]) => void }[] = [];
  const paused: number[] = [];
  let config: Record<string, unknown> = {};
  class FakeConsumer implements Partial<NConsumer> {
    constructor(c: Record<string, unknown>) {
      config = c;
    }
    connect(_o: unknown, cb: (err: null) => void) {
      cb(null);
    }
    disconnect(cb: () => void) {
      cb();
    }
    on() {}
    subscribe() {}
    setDefaultConsumeTimeout() {}
    setDefaultIsTimeoutOnlyForFirstMessage() {}
    consume(n: number, cb: (err: null, messages: NMessage[]) => void) {
      calls.push({ n, answer: (messages) => cb(null, messages) });
    }
    pause(tps: { partition: number }[]) {
      for (const tp of tps) paused.push(tp.partition);
    }
    resume() {}
    getWatermarkOffsets() {
      return { highOffset: -1, lowOffset: -1 };
    }
    rebalanceProtocol() {
      return 'COOPERATIVE';
    }
  }
  const mod = { KafkaConsumer: FakeConsumer } as unknown as ConfluentModule;
  return { mod, calls, paused, queueNonEmpty: () => (config.queue_non_empty_cb as () => void)() };
}

/** Lets callbacks and promise chains run (timers are fake). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

async function started() {
  const fake = fakeModule();
  const batches: InBatch[] = [];
  // Every batch stays with the runtime until released.
  const release: (() => void)[] = [];
  const handlers: ConsumerHandlers = {
    assigned: async () => {},
    revoked: async () => {},
    rebalancing: () => {},
    crashed: (e) => {
      throw e;
    },
    batch: (b) => {
      batches.push(b);
      return new Promise<void>((r) => release.push(r));
    },
  };
  const consumer = nativeConsumer(fake.mod, {}, new CompatLogger(0), async () => {}, settings);
  await consumer.start(['t'], handlers);
  await settle();
  return { ...fake, consumer, batches, release };
}

describe('nativeConsumer loop', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('after a consume call that found nothing, waits for librdkafka to queue something', async () => {
    const c = await started();
    expect(c.calls).toHaveLength(1);
    c.calls[0]?.answer([]);
    await settle();
    expect(c.calls).toHaveLength(1); // no second call spinning on an empty queue
    c.queueNonEmpty();
    await settle();
    expect(c.calls).toHaveLength(2);
    c.calls[1]?.answer([]);
    await settle();
    vi.advanceTimersByTime(100); // nothing queued: it still looks again every 100 ms
    await settle();
    expect(c.calls).toHaveLength(3);
    const closed = c.consumer.close();
    c.calls[2]?.answer([]);
    await closed;
  });

  it('takes only what fits in the partition queues and waits for room instead of pausing', async () => {
    const c = await started();
    c.calls[0]?.answer(records(0, 0, 10_000));
    await settle();
    // Partition 0's first 2,000 are with the runtime, 8,000 queued: room for 2,000 more.
    expect(c.batches.map((b) => b.messages.length)).toEqual([2000]);
    expect(c.calls[1]?.n).toBe(2000);
    c.calls[1]?.answer(records(0, 10_000, 2000));
    await settle();
    // The queue is full: no consume call, no pause (a pause drops librdkafka's prefetch).
    expect(c.calls).toHaveLength(2);
    expect(c.paused).toEqual([]);
    c.release.shift()?.(); // the runtime took the first batch: 2,000 more handed over
    await settle();
    expect(c.calls).toHaveLength(3);
    expect(c.calls[2]?.n).toBe(2000);
    c.calls[2]?.answer(records(0, 12_000, 2000));
    await settle();
    // Still full a second later: that partition stops fetching, the others may be taken.
    vi.advanceTimersByTime(1000);
    await settle();
    expect(c.paused).toEqual([0]);
    expect(c.calls[3]?.n).toBe(10_000);
    const closed = c.consumer.close();
    c.calls[3]?.answer([]);
    await closed;
  });
});
