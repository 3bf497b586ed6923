import { gaussian, mulberry32 } from '@tributary/core';
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

// The ranking metrics with `decimals`: scores rounded before counting.
const makers = {
  rocAuc: (decimals?: number) => rocAuc(decimals === undefined ? {} : { decimals }),
  prAuc: (decimals?: number) => prAuc(decimals === undefined ? {} : { decimals }),
  recallAtPrecision: (decimals?: number) =>
    recallAtPrecision(0.8, decimals === undefined ? {} : { decimals }),
};
const roundTo = (p: number, d: number) => Math.round(p * 10 ** d) / 10 ** d;
const slotsOf = (m: { snapshot(): { state: unknown } }) =>
  (m.snapshot().state as { scores: number[] }).scores.length;

/** Rounded slots, highest first: positives and negatives per slot. */
const slotsDesc = (ys: readonly boolean[], ps: readonly number[], d: number) => {
  const bySlot = new Map<number, [number, number]>();
  ys.forEach((y, i) => {
    const r = roundTo(ps[i] as number, d);
    const c = bySlot.get(r) ?? [0, 0];
    c[y ? 0 : 1]++;
    bySlot.set(r, c);
  });
  return [...bySlot.entries()].sort((a, b) => b[0] - a[0]).map(([, c]) => c);
};
/** ROC AUC: half the share of positive–negative pairs whose scores share a slot. */
const rocBound = (ys: readonly boolean[], ps: readonly number[], d: number) => {
  let tied = 0;
  let pos = 0;
  let neg = 0;
  for (const [p, n] of slotsDesc(ys, ps, d)) {
    tied += p * n;
    pos += p;
    neg += n;
  }
  return (0.5 * tied) / (pos * neg);
};
/**
 * Average precision: each slot's share of the positives times the spread of the precision at
 * thresholds inside it (A, B: positives, negatives above the slot).
 */
const apBound = (ys: readonly boolean[], ps: readonly number[], d: number) => {
  const slots = slotsDesc(ys, ps, d);
  const total = slots.reduce((t, [p]) => t + p, 0);
  let a = 0;
  let b = 0;
  let bound = 0;
  for (const [p, n] of slots) {
    if (p > 0) {
      const high = (a + p) / (a + b + p);
      const low = a + b + n === 0 ? 1 : a / (a + b + n);
      bound += (p / total) * (high - low);
    }
    a += p;
    b += n;
  }
  return bound;
};
/** A fraud-like stream: 1 % positives, scores a logistic of two overlapping normals. */
const fraudLike = (n: number, seed: number) => {
  const random = mulberry32(seed);
  const ys: boolean[] = [];
  const ps: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = random() < 0.01;
    const z = y ? -1 + 2 * gaussian(random) : -4.5 + 1.2 * gaussian(random);
    ys.push(y);
    ps.push(1 / (1 + Math.exp(-z)));
  }
  return { ys, ps };
};

describe('ranking metrics with decimals', () => {
  it('rejects decimals that are not an integer from 0 to 15', () => {
    for (const make of Object.values(makers)) {
      for (const bad of [-1, 16, 1.5, Number.NaN, '4' as unknown as number]) {
        expect(() => make(bad)).toThrow(
          expect.objectContaining({
            code: 'INVALID_OPTION',
            details: expect.objectContaining({ option: 'decimals' }),
          }),
        );
      }
      expect(() => make(0)).not.toThrow();
      expect(() => make(15)).not.toThrow();
    }
  });

  it('keeps at most 10^d + 1 slots over 200,000 random scores, where the exact metric keeps one per score', () => {
    const random = mulberry32(7);
    const exact = rocAuc();
    const three = rocAuc({ decimals: 3 });
    const two = prAuc({ decimals: 2 });
    for (let i = 0; i < 200_000; i++) {
      const y = random() < 0.3;
      const p = random();
      exact.update(y, p);
      three.update(y, p);
      two.update(y, p);
    }
    expect(slotsOf(exact)).toBeGreaterThan(199_000);
    expect(slotsOf(three)).toBeLessThanOrEqual(1001);
    expect(slotsOf(two)).toBeLessThanOrEqual(101);
    expect(JSON.stringify(three.snapshot()).length).toBeLessThan(20_000);
  });

  it('equals the exact metric of the rounded scores, and stays within the bounds of its ties', () => {
    const pair = fc.record({
      y: fc.boolean(),
      // Scores close together so that slots collide, and arbitrary ones.
      p: fc.oneof(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 40 }).map((k) => 0.5 + k * 0.0007),
      ),
    });
    fc.assert(
      fc.property(
        fc.array(pair, { minLength: 1, maxLength: 150 }),
        fc.integer({ min: 0, max: 4 }),
        (xs, d) => {
          const ys = xs.map((x) => x.y);
          const ps = xs.map((x) => x.p);
          const values = Object.fromEntries(
            Object.entries(makers).map(([name, make]) => {
              const rounded = make(d);
              const onRounded = make();
              const exact = make();
              for (const x of xs) {
                rounded.update(x.y, x.p);
                onRounded.update(x.y, roundTo(x.p, d));
                exact.update(x.y, x.p);
              }
              expect(rounded.get()).toBe(onRounded.get());
              return [name, [rounded.get(), exact.get()]];
            }),
          ) as Record<keyof typeof makers, [number, number]>;
          const [roc, rocExact] = values.rocAuc;
          if (!Number.isNaN(rocExact)) {
            expect(Math.abs(roc - rocExact)).toBeLessThanOrEqual(rocBound(ys, ps, d) + 1e-12);
          }
          const [ap, apExact] = values.prAuc;
          if (!Number.isNaN(apExact)) {
            expect(Math.abs(ap - apExact)).toBeLessThanOrEqual(apBound(ys, ps, d) + 1e-12);
          }
          // Thresholds between slots are some of the exact thresholds: never a better recall.
          const [r, rExact] = values.recallAtPrecision;
          if (!Number.isNaN(rExact)) expect(r).toBeLessThanOrEqual(rExact);
        },
      ),
    );
  });

  it('on a fraud-like stream of 200,000 scores moves ROC AUC and PR AUC within those bounds', () => {
    const { ys, ps } = fraudLike(200_000, 42);
    const exact = [rocAuc(), prAuc(), recallAtPrecision(0.9)];
    for (let i = 0; i < ys.length; i++) for (const m of exact) m.update(ys[i]!, ps[i]!);
    for (const d of [2, 3, 4]) {
      const rounded = [
        rocAuc({ decimals: d }),
        prAuc({ decimals: d }),
        recallAtPrecision(0.9, { decimals: d }),
      ];
      for (let i = 0; i < ys.length; i++) for (const m of rounded) m.update(ys[i]!, ps[i]!);
      const [roc, ap, r] = rounded.map((m) => m.get()) as [number, number, number];
      const [rocExact, apExact, rExact] = exact.map((m) => m.get()) as [number, number, number];
      expect(slotsOf(rounded[0]!)).toBeLessThanOrEqual(10 ** d + 1);
      expect(Math.abs(roc - rocExact)).toBeLessThanOrEqual(rocBound(ys, ps, d));
      expect(Math.abs(ap - apExact)).toBeLessThanOrEqual(apBound(ys, ps, d));
      expect(r).toBeLessThanOrEqual(rExact);
    }
  });

  it('folds the slots of a restored exact snapshot (either layout), and slides in rolling', () => {
    const random = mulberry32(3);
    const xs = Array.from({ length: 2000 }, () => ({ y: random() < 0.4, p: random() }));
    for (const make of Object.values(makers)) {
      const exact = make();
      const onRounded = make();
      for (const x of xs) {
        exact.update(x.y, x.p);
        onRounded.update(x.y, roundTo(x.p, 2));
      }
      const restored = make(2);
      restored.restore(exact.snapshot());
      expect(restored.get()).toBe(onRounded.get());
      expect(slotsOf(restored)).toBeLessThanOrEqual(101);
      restored.update(true, 0.123456);
      onRounded.update(true, 0.12);
      expect(restored.get()).toBe(onRounded.get());
      // The earlier layout: counts keyed by the score's text.
      const legacy = make(1);
      legacy.restore({
        metric: legacy.name,
        state: { '0.91': [1, 0], '0.88': [0, 1], '0.3': [0, 2] },
      });
      const tiedRef = make();
      for (const [y, p] of [
        [true, 0.9],
        [false, 0.9],
        [false, 0.3],
        [false, 0.3],
      ] as const)
        tiedRef.update(y, p);
      expect(legacy.get()).toBe(tiedRef.get());
      legacy.update(true, 0.12);
      tiedRef.update(true, 0.1);
      expect(legacy.get()).toBe(tiedRef.get());
      expect(slotsOf(legacy)).toBe(3);
    }
    // A window over rounded scores reverts into the same slots.
    const r = rolling(rocAuc({ decimals: 2 }), 500);
    const ref = rolling(rocAuc(), 500);
    for (const x of xs) {
      r.update(x.y, x.p);
      ref.update(x.y, roundTo(x.p, 2));
    }
    expect(r.get()).toBe(ref.get());
  });
});
