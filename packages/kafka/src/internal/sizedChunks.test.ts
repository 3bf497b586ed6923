import { describe, expect, it } from 'vitest';
import type { OutMessage } from './adapter.js';
import { approximateSize } from './kafkaSink.js';
import { sizedChunks } from './sizedChunks.js';

const message = (i: number, bytes: number): OutMessage => ({
  key: Buffer.from(String(i)),
  value: Buffer.alloc(bytes),
  headers: {},
});

describe('sizedChunks', () => {
  it('keeps the order and puts no more than the limit in a chunk', () => {
    const messages = Array.from({ length: 50 }, (_, i) => message(i, 100 + (i % 7) * 40));
    const chunks = sizedChunks(messages, 1_000);
    expect(chunks.flat()).toEqual(messages);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.reduce((n, m) => n + approximateSize(m), 0)).toBeLessThanOrEqual(1_000);
    }
    // Each chunk is as full as the next message allows.
    for (let i = 0; i + 1 < chunks.length; i++) {
      const used = (chunks[i] as OutMessage[]).reduce((n, m) => n + approximateSize(m), 0);
      expect(
        used + approximateSize((chunks[i + 1] as OutMessage[])[0] as OutMessage),
      ).toBeGreaterThan(1_000);
    }
  });

  it('gives a message above the limit a chunk of its own, and nothing for nothing', () => {
    const big = message(1, 5_000);
    expect(sizedChunks([message(0, 10), big, message(2, 10)], 1_000)).toEqual([
      [message(0, 10)],
      [big],
      [message(2, 10)],
    ]);
    expect(sizedChunks([], 1_000)).toEqual([]);
  });
});
