import type { TopicPartition } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { FetchBuffer } from './fetchBuffer.js';

const tp = (partition: number): TopicPartition => ({ topic: 't', partition });
const tick = () => new Promise((r) => setTimeout(r, 0));

function recording(high = 3, low = 1) {
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

  it('stops fetching a partition whose queue is full and starts again once it is taken', async () => {
    const r = recording(3, 1);
    r.buffer.add(tp(0), [1]);
    await tick(); // partition 0's worker holds [1]
    r.buffer.add(tp(0), [2, 3, 4]);
    expect(r.fetching).toEqual(['stop 0']);
    r.release(0);
    await tick();
    expect(r.fetching).toEqual(['stop 0', 'start 0']);
    expect(r.delivered).toEqual(['0:1', '0:2,3,4']);
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
