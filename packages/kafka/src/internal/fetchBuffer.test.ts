import type { TopicPartition } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { FetchBuffer } from './fetchBuffer.js';

const tp = (partition: number): TopicPartition => ({ topic: 't', partition });
const tick = () => new Promise((r) => setTimeout(r, 0));

function recording(high = 3, low = 1, chunk?: number) {
  const delivered: string[] = [];
  const fetching: string[] = [];
  const gates = new Map<number, () => void>();
  const buffer = new FetchBuffer<number>(
    {
      deliver: (p, messages) => {
        delivered.push(`${p.partition}:${messages.join(',')}`);
        // Partition 0 is slow: each delivery waits until released.
        if (p.partition !== 0) return Promise.resolve();
        return new Promise((resolve) => gates.set(p.partition, resolve));
      },
      stopFetching: (p) => fetching.push(`stop ${p.partition}`),
      startFetching: (p) => fetching.push(`start ${p.partition}`),
    },
    high,
    low,
    chunk,
  );
  return { buffer, delivered, fetching, release: (p: number) => gates.get(p)?.() };
}

describe('FetchBuffer', () => {
  it('a partition held by its handler does not hold back the others; its records wait in order', async () => {
    const r = recording();
    r.buffer.add(tp(0), [1, 2]);
    r.buffer.add(tp(1), [10]);
    await tick();
    r.buffer.add(tp(0), [3]);
    r.buffer.add(tp(1), [11, 12]);
    await tick();
    expect(r.delivered).toEqual(['0:1,2', '1:10', '1:11,12']);
    r.release(0);
    await tick();
    expect(r.delivered).toEqual(['0:1,2', '1:10', '1:11,12', '0:3']);
  });

  it('stops fetching a partition whose queue passes high and starts again once it is taken', async () => {
    const r = recording(3, 1);
    r.buffer.add(tp(0), [1]);
    await tick(); // partition 0's worker holds [1]
    r.buffer.add(tp(0), [2, 3, 4]);
    expect(r.fetching).toEqual([]);
    r.buffer.add(tp(0), [5]);
    expect(r.fetching).toEqual(['stop 0']);
    r.release(0);
    await tick();
    expect(r.fetching).toEqual(['stop 0', 'start 0']);
    expect(r.delivered).toEqual(['0:1', '0:2,3,4,5']);
  });

  it('room: what one more fetch may add before a fetching partition passes high', async () => {
    const r = recording(5, 1);
    expect(r.buffer.room()).toBe(5);
    r.buffer.add(tp(0), [1]);
    await tick(); // partition 0's worker holds [1]
    r.buffer.add(tp(0), [2, 3]);
    r.buffer.add(tp(1), [10]);
    expect(r.buffer.room()).toBe(3);
    r.buffer.add(tp(0), [4, 5, 6]);
    expect(r.buffer.room()).toBe(0);
    expect(r.fetching).toEqual([]);
    // Still full when the loop gave up waiting: that partition stops, the others have room.
    r.buffer.stopFull();
    expect(r.fetching).toEqual(['stop 0']);
    expect(r.buffer.room()).toBe(5);
  });

  it('handedOver resolves at the next hand-over, or false after the wait', async () => {
    const r = recording(5, 1);
    r.buffer.add(tp(0), [1]);
    await tick();
    r.buffer.add(tp(0), [2]);
    expect(await r.buffer.handedOver(5)).toBe(false);
    const next = r.buffer.handedOver(10_000);
    r.release(0); // [1] done: [2] is handed over
    expect(await next).toBe(true);
    expect(r.delivered).toEqual(['0:1', '0:2']);
  });

  it('hands a partition over at most chunk records at a time, in order', async () => {
    const r = recording(100, 1, 2);
    r.buffer.add(tp(0), [1]);
    await tick();
    r.buffer.add(tp(0), [2, 3, 4, 5, 6]);
    for (let i = 0; i < 3; i++) {
      r.release(0);
      await tick();
    }
    expect(r.delivered).toEqual(['0:1', '0:2,3', '0:4,5', '0:6']);
    expect(r.buffer.size).toBe(0);
  });

  it('forgets the queued records of revoked partitions: never handed over', async () => {
    const r = recording(100, 1);
    r.buffer.add(tp(0), [1]);
    await tick();
    r.buffer.add(tp(0), [2, 3, 4]);
    expect(r.buffer.size).toBe(3);
    r.buffer.drop([tp(0)]);
    expect(r.buffer.size).toBe(0);
    r.release(0);
    await tick();
    expect(r.delivered).toEqual(['0:1']);
  });
});
