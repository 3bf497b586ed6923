import { sleep, type TopicPartition } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import type { AdapterConsumer } from './adapter.js';
import { DelayedPause } from './delayedPause.js';

const tp = (partition: number): TopicPartition => ({ topic: 't', partition });

function recordingConsumer() {
  const calls: string[] = [];
  const consumer = {
    pause: (tps: readonly TopicPartition[]) =>
      void calls.push(`pause ${tps.map((t) => t.partition).join(',')}`),
    resume: (tps: readonly TopicPartition[]) =>
      void calls.push(`resume ${tps.map((t) => t.partition).join(',')}`),
  } as unknown as AdapterConsumer;
  return { consumer, calls };
}

describe('DelayedPause', () => {
  it('a pause resumed within the delay never reaches the client', async () => {
    const { consumer, calls } = recordingConsumer();
    const pauses = new DelayedPause(consumer, () => true, 20);
    pauses.pause([tp(0)]);
    pauses.resume([tp(0)], () => false);
    await sleep(40);
    expect(calls).toEqual(['resume ']);
  });

  it('a lasting pause stops fetching; resume restarts all but the partitions kept paused', async () => {
    const { consumer, calls } = recordingConsumer();
    const pauses = new DelayedPause(consumer, () => true, 10);
    pauses.pause([tp(0), tp(1)]);
    await sleep(40);
    expect(calls).toEqual(['pause 0', 'pause 1']);
    pauses.resume([tp(0), tp(1)], (key) => key === 't/1');
    expect(calls.at(-1)).toBe('resume 0');
  });

  it('a partition revoked (or a session closed) meanwhile is not paused', async () => {
    const { consumer, calls } = recordingConsumer();
    let owned = true;
    const pauses = new DelayedPause(consumer, () => owned, 10);
    pauses.pause([tp(0)]);
    owned = false;
    await sleep(40);
    expect(calls).toEqual([]);
    pauses.pause([tp(1)]);
    pauses.close();
    owned = true;
    await sleep(40);
    expect(calls).toEqual([]);
  });
});
