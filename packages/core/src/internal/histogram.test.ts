import { describe, expect, it } from 'vitest';
import { Histogram, LATENCY_BOUNDS_MS } from './histogram.js';

describe('Histogram', () => {
  it('has increasing default bounds from 0.1 ms to 60 s, each at most a third above the last', () => {
    expect(LATENCY_BOUNDS_MS[0]).toBe(0.1);
    expect(LATENCY_BOUNDS_MS.at(-1)).toBe(60_000);
    for (let i = 1; i < LATENCY_BOUNDS_MS.length; i++) {
      const ratio = (LATENCY_BOUNDS_MS[i] as number) / (LATENCY_BOUNDS_MS[i - 1] as number);
      expect(ratio).toBeGreaterThan(1);
      expect(ratio).toBeLessThanOrEqual(4 / 3 + 1e-9);
    }
    expect(LATENCY_BOUNDS_MS).toContain(2.5);
    expect(LATENCY_BOUNDS_MS).toContain(12.5);
  });

  it('counts each value in the first bucket whose bound is >= it, the rest in the last', () => {
    const h = new Histogram([1, 2, 5]);
    for (const v of [0, 1, 1.5, 2, 4.9, 5, 5.1, 100]) h.observe(v);
    h.observe(3, 4);
    const s = h.snapshot();
    expect(s.counts).toEqual([2, 2, 2 + 4, 2]);
    expect(s.count).toBe(12);
    expect(s.sum).toBeCloseTo(0 + 1 + 1.5 + 2 + 4.9 + 5 + 5.1 + 100 + 12, 10);
  });

  it('resolves milliseconds with the default bounds', () => {
    const h = new Histogram();
    h.observe(7);
    h.observe(11);
    const s = h.snapshot();
    const used = s.counts.flatMap((c, i) => (c > 0 ? [s.bounds[i]] : []));
    expect(used).toEqual([8, 12.5]);
  });
});
