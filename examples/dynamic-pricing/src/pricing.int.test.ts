import { randomUUID } from 'node:crypto';
import { silentLogger } from '@tributary/core';
import { kafkaBus } from '@tributary/kafka';
import { expect, inject, it } from 'vitest';
import { market } from './market.js';
import { pricingReport } from './report.js';
import { simulate } from './simulation.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
  }
}

it('runs the pricing service and the market on Kafka: every request quoted, outcomes joined', async () => {
  const bus = kafkaBus({ brokers: inject('kafkaBrokers').split(','), clientId: 'pricing-int' });
  const m = market({ seed: 3, days: 0.5 });
  try {
    const result = await simulate({
      bus,
      market: m,
      suffix: `-${randomUUID().slice(0, 8)}`,
      logger: silentLogger,
    });
    const requests = Array.from({ length: m.hours }, (_, h) => m.requests(h).length).reduce(
      (a, b) => a + b,
      0,
    );
    expect(result.sales).toHaveLength(requests);
    expect(new Set(result.sales.map((s) => s.request.id)).size).toBe(requests);
    const { joined, expired, unknown } = result.stage.pending.counts;
    expect(joined + expired).toBe(requests);
    expect(unknown).toBe(0);
    const report = pricingReport(m, result.sales);
    expect(report.outOfBounds).toBe(0);
    expect(report.total.policy).toBeGreaterThan(0);
  } finally {
    await bus.close();
  }
});
