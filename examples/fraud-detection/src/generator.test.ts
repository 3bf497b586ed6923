import { describe, expect, it } from 'vitest';
import { generateTransactions } from './generator.js';
import { Chargeback, Transaction } from './schema.js';

describe('generateTransactions', () => {
  const options = { transactions: 20_000, cards: 500, seed: 3 };

  it('is reproducible from its seed, and another seed gives other data', () => {
    const a = generateTransactions(options);
    const b = generateTransactions(options);
    expect(b.records).toEqual(a.records);
    const c = generateTransactions({ ...options, seed: 4 });
    expect(c.records).not.toEqual(a.records);
  });

  it('injects about the asked fraud rate, reports most frauds later, in event-time order', () => {
    const g = generateTransactions(options);
    expect(g.transactions).toBe(20_000);
    expect(g.frauds / g.transactions).toBeGreaterThan(0.009);
    expect(g.frauds / g.transactions).toBeLessThan(0.012);
    expect(Object.values(g.patterns).every((n) => n > 0)).toBe(true);
    expect(g.chargebacks / g.frauds).toBeGreaterThan(0.8);
    expect(g.chargebacks / g.frauds).toBeLessThan(0.97);
    const times = g.records.map((r) => r.time);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const txTime = new Map<string, number>();
    for (const r of g.records) {
      if (r.stream === 'transactions' && Transaction.safeParse(r.value).success) {
        const t = Transaction.parse(r.value);
        txTime.set(t.id, t.time);
        expect(r.key).toBe(t.cardId);
      }
    }
    for (const r of g.records.filter((x) => x.stream === 'chargebacks')) {
      const cb = Chargeback.parse(r.value);
      expect(g.fraudIds.has(cb.transactionId)).toBe(true);
      expect(cb.reportedAt).toBeGreaterThan(txTime.get(cb.transactionId) as number);
      expect(r.key).toBe(cb.cardId); // same key as its transaction: same partition
    }
  });

  it('makes the asked share of records invalid, and only those', () => {
    const g = generateTransactions(options);
    const invalid = g.records.filter(
      (r) => r.stream === 'transactions' && !Transaction.safeParse(r.value).success,
    );
    expect(invalid).toHaveLength(g.invalid);
    expect(g.invalid).toBe(20);
  });
});
