import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prAuc } from './prAuc.js';
import { recallAtPrecision } from './recallAtPrecision.js';
import { rocAuc } from './rocAuc.js';
import { rolling } from './rolling.js';

// Pairwise definition: P(positive scores above negative), ties half.
const bruteAuc = (ys: readonly boolean[], ps: readonly number[]): number => {
  let wins = 0;
  let pairs = 0;
  ys.forEach((yi, i) => {
    if (!yi) return;
    ys.forEach((yj, j) => {
      if (yj) return;
      pairs++;
      const a = ps[i] as number;
      const b = ps[j] as number;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
    });
  });
  return pairs === 0 ? Number.NaN : wins / pairs;
};

describe('rocAuc on float scores', () => {
  it('equals the pairwise definition for arbitrary doubles, with ties', () => {
    const pair = fc.record({
      y: fc.boolean(),
      // Few distinct values from a small pool force ties; the rest are arbitrary doubles.
      p: fc.oneof(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.1, 0.30000000000000004, 0.5, 1e-17),
      ),
    });
    fc.assert(
      fc.property(fc.array(pair, { minLength: 1, maxLength: 120 }), (xs) => {
        const m = rocAuc();
        for (const x of xs) m.update(x.y, x.p);
        const want = bruteAuc(
          xs.map((x) => x.y),
          xs.map((x) => x.p),
        );
        if (Number.isNaN(want)) expect(m.get()).toBeNaN();
        else expect(m.get()).toBeCloseTo(want, 12);
      }),
    );
  });

  it('tells apart scores that print alike only to a few digits', () => {
    const m = rocAuc();
    m.update(true, 0.1 + 0.2); // 0.30000000000000004
    m.update(false, 0.3);
    expect(m.get()).toBe(1);
  });

  it('forgets a score once reverted out, so a rolling window keeps only its scores', () => {
    const m = rocAuc();
    m.update(true, 0.9);
    m.update(false, 0.2);
    m.update(false, 0.95);
    m.revert(false, 0.95);
    expect(m.get()).toBe(1);
    const state = m.snapshot().state as { scores: number[] };
    expect([...state.scores].sort()).toEqual([0.2, 0.9]);
    const r = rolling(rocAuc(), 2);
    for (const [y, p] of [
      [true, 0.1],
      [false, 0.8],
      [true, 0.9],
      [false, 0.3],
    ] as const)
      r.update(y, p);
    expect(r.get()).toBe(1); // only (true 0.9, false 0.3) left
  });

  it('restores a snapshot of the earlier layout (counts keyed by the score as text)', () => {
    const legacy = { '0.9': [1, 0], '0.2': [0, 1], '0.6': [1, 1] };
    for (const make of [rocAuc, prAuc, () => recallAtPrecision(0.5)]) {
      const fresh = make();
      fresh.update(true, 0.9);
      fresh.update(false, 0.2);
      fresh.update(true, 0.6);
      fresh.update(false, 0.6);
      const restored = make();
      restored.restore({ metric: restored.name, state: legacy });
      expect(restored.get()).toBe(fresh.get());
      restored.update(false, 0.1);
      fresh.update(false, 0.1);
      expect(restored.get()).toBe(fresh.get());
    }
  });

  it('rejects a state of another shape', () => {
    expect(() =>
      rocAuc().restore({ metric: 'rocAuc', state: { scores: [0.1], pos: [1], neg: [] } }),
    ).toThrow(expect.objectContaining({ code: 'MONITOR_SNAPSHOT_INVALID' }));
  });
});
