import { jsonSerde, memoryBus, silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { type PricingInput, type Quote, serdes, topics } from './events.js';
import { market } from './market.js';
import { simulate } from './simulation.js';

describe('simulate on the memory bus', () => {
  it('quotes every request once, with lineage to its request record, and learns from the joined outcomes', async () => {
    const bus = memoryBus({ partitions: 3 });
    const m = market({ seed: 9, days: 2 });
    const result = await simulate({ bus, market: m, logger: silentLogger });
    const requests = bus.records(topics.requests, serdes.requests);
    const quotes = bus.records(topics.quotes, serdes.quotes);
    expect(requests.length).toBeGreaterThan(2000);
    expect(quotes).toHaveLength(requests.length);
    expect(new Set(quotes.map((q) => q.value.id)).size).toBe(requests.length);
    const byCoordinates = new Map(requests.map((r) => [`${r.partition}@${r.offset}`, r]));
    for (const { key, value: q } of quotes) {
      const r = byCoordinates.get(`${q.lineage.requestPartition}@${q.lineage.requestOffset}`);
      expect(q.lineage.requestTopic).toBe(topics.requests);
      expect(r?.value.id).toBe(q.id);
      expect(key).toBe(q.id);
      expect(q.lineage.policyVersion).toMatch(new RegExp(`^${q.segment}\\.g\\d+\\.u\\d+$`));
    }
    // Every outcome went through the join: joined ones became rewards, the rest are counted.
    const outcomes = bus.records(topics.outcomes, serdes.outcomes);
    const rewards = bus.records(topics.rewards, serdes.rewards);
    const { joined, expired, unknown } = result.stage.pending.counts;
    expect(outcomes).toHaveLength(requests.length);
    expect(rewards).toHaveLength(joined);
    expect(joined + expired).toBe(requests.length);
    expect(unknown).toBe(0);
    // Outcomes and requests of one id share a partition (keyed alike), so the join holds on Kafka.
    const partitionOf = new Map(requests.map((r) => [r.value.id, r.partition]));
    for (const o of outcomes) expect(o.partition).toBe(partitionOf.get(o.value.id));
    const quoteOf = new Map(quotes.map((q) => [q.value.id, q.value]));
    for (const { value: w } of rewards) {
      const q = quoteOf.get(w.id) as Quote;
      expect(w.price).toBe(q.price);
      expect(w.policyVersion).toBe(q.lineage.policyVersion);
      expect(w.delayMs).toBeGreaterThan(0);
    }
  });

  it('the same seed gives the same run', async () => {
    const once = async () => {
      const r = await simulate({
        bus: memoryBus({ partitions: 3 }),
        market: market({ seed: 4, days: 1 }),
        logger: silentLogger,
      });
      return r.sales.map((s) => `${s.request.id}:${s.price}:${s.sold}`);
    };
    expect(await once()).toEqual(await once());
  });

  it('a malformed record on the input topic stops the run with its decode error, nothing silently skipped', async () => {
    const bus = memoryBus({ partitions: 1 });
    bus.produce(topics.requests, [{ key: 'x', value: { type: 'request', id: 'x' } }], {
      serde: jsonSerde<Partial<PricingInput>>(),
    });
    await expect(
      simulate({ bus, market: market({ days: 1 }), logger: silentLogger }),
    ).rejects.toMatchObject({
      code: 'DECODE_FAILED',
    });
  });
});
