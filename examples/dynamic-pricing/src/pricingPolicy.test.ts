import { memoryBus, silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { market } from './market.js';
import { oraclePrice } from './oracle.js';
import { segmentPrices } from './priceGrid.js';
import { simulate } from './simulation.js';
import { uniform } from './uniform.js';

const HOUR = 3_600_000;

async function run(days: number, shifts: boolean) {
  const m = market({ seed: 11, days, shifts });
  const { sales, stage } = await simulate({
    bus: memoryBus({ partitions: 3 }),
    market: m,
    logger: silentLogger,
  });
  /** Policy, oracle and random-price revenue over [from, to) hours, optionally for one segment. */
  const revenue = (from: number, to: number, segment?: string) => {
    let policy = 0;
    let oracle = 0;
    let random = 0;
    for (const s of sales) {
      const h = Math.floor((s.request.time - m.start) / HOUR);
      if (h < from || h >= to || (segment && s.request.segment !== segment)) continue;
      if (s.sold) policy += s.price;
      const o = oraclePrice(m, s.request);
      if (m.buys(s.request, o)) oracle += o;
      const prices = segmentPrices(s.request.segment);
      const r = prices[Math.floor(uniform('random-policy', s.request.id) * prices.length)]!;
      if (m.buys(s.request, r)) random += r;
    }
    return { policy, oracle, random };
  };
  return { m, stage, revenue };
}

describe('the pricing policy', () => {
  it('beats a random pricing policy on a stationary market and nears the oracle', async () => {
    const { revenue } = await run(6, false);
    const all = revenue(0, 6 * 24);
    expect(all.policy).toBeGreaterThan(1.3 * all.random);
    const late = revenue(3 * 24, 6 * 24);
    expect(late.policy).toBeGreaterThan(0.9 * late.oracle);
  });

  it('recovers after each shift of the market', async () => {
    const { m, stage, revenue } = await run(15, true);
    for (const shift of m.shifts) {
      // From two to five days after the shift, the shifted segment is back near the oracle.
      const after = revenue(shift.hour + 48, shift.hour + 120, shift.segment);
      // Measured on this seed: budget 0.92, premium 0.82 (a fresh bandit explores upward slowly).
      expect(after.policy).toBeGreaterThan(0.8 * after.oracle);
    }
    expect(stage.policy.resets.budget + stage.policy.resets.premium).toBeGreaterThan(0);
  });
});
