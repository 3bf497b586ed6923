import { describe, expect, it } from 'vitest';
import { precisionThreshold } from './precisionThreshold.js';

describe('precisionThreshold', () => {
  it('picks the lowest score whose alerts above reach the target precision', () => {
    const t = precisionThreshold({
      target: 0.75,
      every: 8,
      minTruePositives: 2,
      minNegatives: 1,
      initial: 0.99,
    });
    expect(t.current()).toBe(0.99);
    // scores high → low: F? no: T .9, T .8, F .7, T .6, F .5, F .4, T .3, F .2
    const data: [number, boolean][] = [
      [0.9, true],
      [0.8, true],
      [0.7, false],
      [0.6, true],
      [0.5, false],
      [0.4, false],
      [0.3, true],
      [0.2, false],
    ];
    for (const [s, y] of data) t.observe(s, y);
    // at 0.6: 3 of 4 alerts are fraud (0.75); lower thresholds fall below
    expect(t.current()).toBe(0.6);
    expect(t.updates).toBe(1);
  });

  it('rises above every score when no threshold reaches the target', () => {
    const t = precisionThreshold({ target: 0.9, every: 4, minTruePositives: 1, minNegatives: 1 });
    for (const [s, y] of [
      [0.5, false],
      [0.4, true],
      [0.3, false],
      [0.2, false],
    ] as const)
      t.observe(s, y);
    expect(t.current()).toBeGreaterThan(0.5);
  });

  it('forgets scores older than its window', () => {
    const t = precisionThreshold({
      target: 1,
      window: 4,
      every: 4,
      minTruePositives: 1,
      minNegatives: 0,
    });
    for (let i = 0; i < 4; i++) t.observe(0.9, false);
    for (let i = 0; i < 4; i++) t.observe(0.5 + i / 100, true);
    expect(t.current()).toBe(0.5);
  });

  it('refuses bad options with INVALID_OPTION', () => {
    expect(() => precisionThreshold({ target: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => precisionThreshold({ window: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('precisionThreshold ties', () => {
  it('takes a group of equal scores whole', () => {
    const t = precisionThreshold({ target: 0.9, every: 4, minTruePositives: 1, minNegatives: 1 });
    // At 0.8 the alerts would be T, F (0.5): 0.9 only at the top score 0.95.
    for (const [s, y] of [
      [0.95, true],
      [0.8, true],
      [0.8, false],
      [0.1, false],
    ] as const)
      t.observe(s, y);
    expect(t.current()).toBe(0.95);
  });
});

describe('precisionThreshold before legitimate labels', () => {
  it('keeps its initial threshold while the window holds fewer than minNegatives', () => {
    const t = precisionThreshold({ every: 20, minTruePositives: 1, minNegatives: 5 });
    for (let i = 0; i < 20; i++) t.observe(0.1 + i / 100, true); // frauds only: any threshold is "precise"
    expect(t.current()).toBe(0.99);
    for (let i = 0; i < 20; i++) t.observe(i < 5 ? 0.05 : 0.5, i >= 5);
    expect(t.current()).toBeLessThan(0.99);
  });
});

describe('precisionThreshold on long histories', () => {
  it('chooses what a full sort of the window chooses', () => {
    // The reference: every labelled score of the window sorted, walked from the top.
    const reference = (window: readonly [number, boolean][], target: number, minTp: number) => {
      const sorted = [...window].sort((a, b) => b[0] - a[0]);
      let tp = 0;
      let fp = 0;
      let best: number | undefined;
      for (let i = 0; i < sorted.length; ) {
        const s = sorted[i]![0];
        for (; i < sorted.length && sorted[i]![0] === s; i++) {
          if (sorted[i]![1]) tp++;
          else fp++;
        }
        if (tp >= minTp && tp / (tp + fp) >= target) best = s;
      }
      return best ?? Math.min(1, sorted[0]![0] + 1e-9);
    };
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (const target of [0.5, 0.9, 1]) {
      const t = precisionThreshold({
        target,
        window: 3000,
        every: 1000,
        minTruePositives: 3,
        minNegatives: 10,
      });
      const seen: [number, boolean][] = [];
      for (let n = 1; n <= 9000; n++) {
        const label = random() < 0.03;
        // Frauds score higher on average; rounding to 3 places makes ties.
        const score = Math.round(Math.min(1, random() * (label ? 1.6 : 1)) * 1000) / 1000;
        t.observe(score, label);
        seen.push([score, label]);
        if (n % 1000 === 0) expect(t.current()).toBe(reference(seen.slice(-3000), target, 3));
      }
      expect(t.updates).toBe(9);
    }
  });
});
