import { mulberry32, type StageContext, silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { labelJoin, SCORE_DECIMALS } from './labelJoin.js';
import type { ChargebackEvent } from './onTransactions.js';
import type { Alerted } from './serving.js';
import { classifier } from './serving.js';

const ctx = (offset: number): StageContext => ({
  topic: 'transactions',
  partition: 0,
  offset,
  key: 'card',
  timestamp: 0,
  headers: {},
  state: { get: () => undefined, set() {}, delete() {} },
  log: silentLogger,
  count() {},
  signal: new AbortController().signal,
});
const tx = (id: string, time: number) =>
  ({ kind: 'transaction', tx: { id, time }, x: Float64Array.of(1, 0) }) as unknown as Alerted;
const cb = (id: string, reportedAt: number): ChargebackEvent => ({
  kind: 'chargeback',
  transactionId: id,
  cardId: 'c',
  reportedAt,
  reason: 'fraud',
});
const items = (r: unknown): { type: string; id?: string; label?: boolean }[] =>
  r === undefined
    ? []
    : 'items' in (r as object)
      ? [...(r as { items: never[] }).items]
      : [r as never];

describe('labelJoin', () => {
  it('joins a chargeback within the TTL as fraud, labels the silent ones legit at the TTL, and counts late chargebacks', () => {
    const join = labelJoin({ trainer: classifier('logistic'), ttlMs: 10_000 });
    join.process(tx('a', 0), ctx(0));
    join.process(tx('b', 1000), ctx(1));
    join.process(tx('c', 2000), ctx(2));
    // a chargeback for b within the TTL: b is learnt as fraud
    expect(items(join.process(cb('b', 5000), ctx(3)))).toEqual([
      expect.objectContaining({ type: 'evaluation', id: 'b', label: true }),
    ]);
    // at 11500, a (0) has waited longer than 10 s with no chargeback: learnt as legitimate
    const out = items(join.process(tx('d', 11_500), ctx(4)));
    expect(out[0]).toEqual(expect.objectContaining({ type: 'evaluation', id: 'a', label: false }));
    expect(out[1]).toEqual(expect.objectContaining({ type: 'prediction', id: 'd' }));
    // c's chargeback comes 13 s after it: too late, counted, not lost silently; its time
    // expires c first, whose evaluation (legitimate) is the output
    expect(items(join.process(cb('c', 15_000), ctx(5)))).toEqual([
      expect.objectContaining({ type: 'evaluation', id: 'c', label: false }),
    ]);
    expect(join.stats()).toMatchObject({
      predictions: 4,
      learned: 3, // a, b, and c (expired as legit when the late chargeback arrived)
      labelsExpired: 2,
      labelsUnmatched: 1,
      pending: 1,
    });
  });
});

describe('labelJoin whole-run metrics', () => {
  it('keep at most 10^SCORE_DECIMALS + 1 score slots however many labels, the rolling ones their window', () => {
    const join = labelJoin({ trainer: classifier('logistic'), ttlMs: 10 });
    const random = mulberry32(1);
    const n = 30_000;
    for (let i = 0; i < n; i++) {
      const t = {
        kind: 'transaction',
        tx: { id: `t${i}`, time: i * 100 },
        x: Float64Array.of(random() * 4 - 2, random()),
      };
      join.process(t as unknown as Alerted, ctx(i));
      if (i % 50 === 0) join.process(cb(`t${i}`, i * 100 + 5), ctx(i));
    }
    const { metrics } = join.snapshot() as unknown as {
      metrics: {
        metric: string;
        state: { scores?: number[]; inner?: { state: { scores: number[] } } };
      }[];
    };
    const slots = metrics.map((m) => (m.state.scores ?? m.state.inner?.state.scores ?? []).length);
    expect(join.stats().learned).toBeGreaterThan(n - 10);
    // whole run: rounded; rolling: exact over the last RECENT labels (one slot per distinct score)
    for (const s of slots.slice(0, 3)) expect(s).toBeLessThanOrEqual(10 ** SCORE_DECIMALS + 1);
    for (const s of slots.slice(3)) expect(s).toBeGreaterThan(10 ** SCORE_DECIMALS + 1);
    expect(JSON.stringify(metrics.slice(0, 3)).length).toBeLessThan(
      3 * 12 * (10 ** SCORE_DECIMALS + 1),
    );
  });
});
