import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channels, segments } from './events.js';
import { guardrails } from './guardrails.js';
import { priceGrid, segmentBounds } from './priceGrid.js';

const HOUR = 3_600_000;

describe('guardrails', () => {
  it('every quote is a grid price within its segment bounds and the change limit (random contexts)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 1, noNaN: true }),
        fc.array(
          fc.record({
            segment: fc.constantFrom(...segments),
            channel: fc.constantFrom(...channels),
            // Minutes after the previous request, so periods roll over at random.
            gap: fc.integer({ min: 0, max: 180 }),
            // Whatever the bandit asks for, even off the grid and outside the bounds.
            price: fc.double({ min: 0.5, max: 200, noNaN: true }),
          }),
          { minLength: 1, maxLength: 300 },
        ),
        (maxChange, asks) => {
          const rails = guardrails({ maxChange });
          // An independent account of each line's quotes per period.
          const periods = new Map<string, Map<number, number[]>>();
          let time = 0;
          for (const a of asks) {
            time += a.gap * 60_000;
            const q = rails.apply(a.segment, a.channel, time, a.price);
            const [lo, hi] = segmentBounds[a.segment];
            expect(priceGrid).toContain(q);
            expect(q).toBeGreaterThanOrEqual(lo);
            expect(q).toBeLessThanOrEqual(hi);
            const line = periods.get(`${a.segment}/${a.channel}`) ?? new Map<number, number[]>();
            periods.set(`${a.segment}/${a.channel}`, line);
            const period = Math.floor(time / HOUR);
            const earlier = [...line.keys()].filter((p) => p < period);
            if (earlier.length > 0) {
              const prev = line.get(Math.max(...earlier))!;
              const anchor = prev.reduce((x, y) => x + y, 0) / prev.length;
              expect(q).toBeLessThanOrEqual(anchor * (1 + maxChange) + 1e-9);
              expect(q).toBeGreaterThanOrEqual(anchor / (1 + maxChange) - 1e-9);
            }
            line.set(period, [...(line.get(period) ?? []), q]);
          }
        },
      ),
    );
  });

  it('quotes the allowed grid price nearest to what the bandit asked', () => {
    const rails = guardrails();
    expect(rails.apply('regular', 'web', 0, 21)).toBe(21.5);
    expect(rails.apply('regular', 'web', 0, 500)).toBe(segmentBounds.regular[1]);
    // Next hour: the previous mean is (21.5 + 53.5) / 2 = 37.5; at most +30 % → 44.58.
    expect(rails.apply('regular', 'web', HOUR, 500)).toBe(44.58);
  });

  it('refuses options that leave a period without an allowed grid price', () => {
    expect(() => guardrails({ maxChange: 0.05 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => guardrails({ bounds: { ...segmentBounds, budget: [5.5, 30.96] } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});
