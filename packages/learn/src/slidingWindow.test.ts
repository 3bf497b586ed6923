import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContextualBandit, LearnerSnapshot } from './index.js';
import { linearThompsonSampling, linUcb } from './index.js';

const v = (...xs: number[]) => Float64Array.from(xs);

interface Step {
  arm: number;
  x: Float64Array;
  reward: number;
}

function state(b: ContextualBandit): { Ainv: number[]; b: number[] } {
  return b.snapshot().state as unknown as { Ainv: number[]; b: number[] };
}

function expectClose(a: readonly number[], b: readonly number[]): void {
  expect(a).toHaveLength(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 8);
}

const steps = fc.array(
  fc.record({
    arm: fc.integer({ min: 0, max: 2 }),
    x: fc.tuple(
      fc.double({ min: -2, max: 2, noNaN: true }),
      fc.double({ min: -2, max: 2, noNaN: true }),
    ),
    reward: fc.double({ min: -1, max: 1, noNaN: true }),
  }),
  { minLength: 1, maxLength: 120 },
);

describe('sliding-window linear bandits', () => {
  for (const [name, make] of [
    ['linUcb', (window?: number) => linUcb({ arms: 3, ...(window ? { window } : {}) })],
    [
      'linearThompsonSampling',
      (window?: number) => linearThompsonSampling({ arms: 3, ...(window ? { window } : {}) }),
    ],
  ] as const) {
    it(`${name}: the state equals a fresh policy fed only the last \`window\` updates`, () => {
      fc.assert(
        fc.property(steps, fc.integer({ min: 1, max: 40 }), (raw, window) => {
          const all: Step[] = raw.map((s) => ({
            arm: s.arm,
            x: v(s.x[0], s.x[1], 1),
            reward: s.reward,
          }));
          const windowed = make(window);
          for (const s of all) windowed.update(s.arm, s.x, s.reward);
          const fresh = make();
          for (const s of all.slice(-window)) fresh.update(s.arm, s.x, s.reward);
          expectClose(state(windowed).Ainv, state(fresh).Ainv);
          expectClose(state(windowed).b, state(fresh).b);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('recovers when the best arm changes; without a window the old data holds it back', () => {
    // Two contexts; arm 0 pays in both until round 3000, then arm 1 does.
    const play = (bandit: ContextualBandit) => {
      let late = 0;
      for (let t = 0; t < 6000; t++) {
        const x = t % 2 === 0 ? v(1, 0, 1) : v(0, 1, 1);
        const arm = bandit.select(x);
        const best = t < 3000 ? 0 : 1;
        const reward = (arm === best ? 0.8 : 0.4) + ((t * 7919) % 101) / 500 - 0.1;
        bandit.update(arm, x, reward);
        if (t >= 4000 && arm === 1) late += 1;
      }
      return late / 2000;
    };
    const windowed = play(linUcb({ arms: 2, alpha: 0.3, window: 400 }));
    const stale = play(linUcb({ arms: 2, alpha: 0.3 }));
    expect(windowed).toBeGreaterThan(0.9);
    expect(stale).toBeLessThan(0.5);
  });

  it('a snapshot carries the window: the restored policy forgets the same updates', () => {
    const a = linUcb({ arms: 2, window: 5 });
    for (let i = 0; i < 8; i++) a.update(i % 2, v(i / 8, 1), i % 3);
    const b = linUcb({ arms: 2, window: 5 });
    b.restore(JSON.parse(JSON.stringify(a.snapshot())) as LearnerSnapshot);
    for (let i = 0; i < 12; i++) {
      a.update(i % 2, v(1 - i / 12, 1), (i * 5) % 7);
      b.update(i % 2, v(1 - i / 12, 1), (i * 5) % 7);
    }
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it('rejects a window that is not a positive integer', () => {
    expect(() => linUcb({ arms: 2, window: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => linearThompsonSampling({ arms: 2, window: 2.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});
