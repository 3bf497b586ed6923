import { describe, expect, it } from 'vitest';
import { LineageHeaders, lineageFromHeaders, lineageHeaders, lineageOf } from './lineage.js';

describe('lineage headers', () => {
  it('round-trip through text and byte headers', () => {
    const l = lineageOf('fraud-classifier', 7, 1_736_150_400_000, {
      topic: 'transactions',
      partition: 2,
      offset: 41,
    });
    const h = lineageHeaders(l);
    expect(h[LineageHeaders.modelVersion]).toBe('7');
    expect(h['tributary.source.offset']).toBe('41');
    expect(lineageFromHeaders(h)).toEqual(l);
    const bytes = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Buffer.from(v)]));
    expect(lineageFromHeaders(bytes)).toEqual(l);
  });

  it('is undefined when a header is missing or not a number', () => {
    const h = lineageHeaders(lineageOf('m', 1, 0, { topic: 't', partition: 0, offset: 0 }));
    const { [LineageHeaders.offset]: _, ...rest } = h;
    expect(lineageFromHeaders(rest)).toBeUndefined();
    expect(lineageFromHeaders({ ...h, [LineageHeaders.partition]: 'x' })).toBeUndefined();
  });
});
