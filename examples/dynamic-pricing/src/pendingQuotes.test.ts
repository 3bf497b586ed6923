import { describe, expect, it } from 'vitest';
import { pendingQuotes } from './pendingQuotes.js';

const MIN = 60_000;

describe('pendingQuotes (the outcome join)', () => {
  it('joins outcomes that arrive later and out of order to their own quote', () => {
    const p = pendingQuotes<string>(60 * MIN);
    p.add('a', 0, 'quote a');
    p.add('b', 1 * MIN, 'quote b');
    p.add('c', 2 * MIN, 'quote c');
    expect(p.take('c', 10 * MIN)).toEqual({ kind: 'joined', quote: 'quote c', delayMs: 8 * MIN });
    expect(p.take('a', 30 * MIN)).toEqual({ kind: 'joined', quote: 'quote a', delayMs: 30 * MIN });
    expect(p.size).toBe(1);
    expect(p.counts).toEqual({ joined: 2, expired: 0, unknown: 0 });
  });

  it('drops quotes older than the TTL and reports their late outcome as expired', () => {
    const p = pendingQuotes<string>(60 * MIN);
    p.add('a', 0, 'a');
    p.add('b', 50 * MIN, 'b');
    expect(p.expire(70 * MIN)).toBe(1);
    expect(p.take('a', 80 * MIN)).toEqual({ kind: 'expired' });
    expect(p.take('b', 100 * MIN)).toEqual({ kind: 'joined', quote: 'b', delayMs: 50 * MIN });
    expect(p.counts).toEqual({ joined: 1, expired: 1, unknown: 0 });
  });

  it('counts an outcome without a quote, or a second one for the same id, as unknown', () => {
    const p = pendingQuotes<string>(60 * MIN);
    p.add('a', 0, 'a');
    expect(p.take('a', MIN).kind).toBe('joined');
    expect(p.take('a', 2 * MIN)).toEqual({ kind: 'unknown' });
    expect(p.take('zz', 2 * MIN)).toEqual({ kind: 'unknown' });
    expect(p.counts.unknown).toBe(2);
  });

  it('rejects a TTL that is not positive', () => {
    expect(() => pendingQuotes(0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
