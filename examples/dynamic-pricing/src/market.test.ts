import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channels, type PriceRequest, segments } from './events.js';
import { market } from './market.js';
import { expectedRevenue, oraclePrice } from './oracle.js';
import { segmentPrices } from './priceGrid.js';

const request = fc.record({
  type: fc.constant('request' as const),
  id: fc.string({ minLength: 1, maxLength: 8 }),
  segment: fc.constantFrom(...segments),
  channel: fc.constantFrom(...channels),
  time: fc.integer({ min: 0, max: 30 * 24 * 3_600_000 - 1 }),
});

describe('market simulator', () => {
  it('a seed reproduces the requests and the answers; another seed does not', () => {
    const run = (seed: number) => {
      const m = market({ seed, days: 2 });
      return Array.from({ length: m.hours }, (_, h) => m.requests(h)).flatMap((rs) =>
        rs.map((r) => ({ r, o: m.respond({ id: r.id, price: 20, time: r.time }, r) })),
      );
    };
    expect(run(3)).toEqual(run(3));
    expect(run(4)).not.toEqual(run(3));
    expect(run(3).length).toBeGreaterThan(1000);
  });

  it('outcomes come after their request; a sale earns the quoted price', () => {
    const m = market({ seed: 5, days: 1 });
    for (const r of m.requests(13)) {
      const o = m.respond({ id: r.id, price: 17.92, time: r.time }, r);
      expect(o.time).toBeGreaterThan(r.time);
      expect(o.revenue).toBe(o.sold ? 17.92 : 0);
      expect(o.sold).toBe(m.buys(r, 17.92));
    }
  });

  it('buying is less likely at a higher price, and the shifts change the curves they name', () => {
    const m = market({ days: 30 });
    fc.assert(
      fc.property(request, fc.double({ min: 1, max: 80, noNaN: true }), (base, p) => {
        const r = { ...base, time: m.start + (base.time % (m.hours * 3_600_000)) };
        expect(m.buyProbability(r, p * 1.1)).toBeLessThan(m.buyProbability(r, p));
      }),
    );
    for (const s of m.shifts) {
      const at = (hour: number): PriceRequest => ({
        type: 'request',
        id: 'x',
        segment: s.segment,
        channel: 'web',
        time: m.start + hour * 3_600_000,
      });
      // Same hour of day, one day apart across the shift.
      expect(oraclePrice(m, at(s.hour + 24))).not.toBe(oraclePrice(m, at(s.hour - 24)));
    }
  });

  it("the oracle's price maximises expected revenue on its curve", () => {
    const m = market({ seed: 2 });
    fc.assert(
      fc.property(request, (base) => {
        const r = { ...base, time: m.start + base.time };
        const best = oraclePrice(m, r);
        const top = expectedRevenue(m, r, best);
        for (const p of segmentPrices(r.segment))
          expect(top).toBeGreaterThanOrEqual(expectedRevenue(m, r, p));
        // The grid is fine enough: within 5 % of the best price on a continuous scan.
        let continuous = 0;
        for (let p = 1; p <= 80; p += 0.01)
          continuous = Math.max(continuous, expectedRevenue(m, r, p));
        expect(top).toBeGreaterThan(0.95 * continuous);
      }),
      { numRuns: 60 },
    );
  });
});
