import { describe, expect, it } from 'vitest';
import { precisionThreshold } from './precisionThreshold.js';

describe('precisionThreshold', () => {
  it('picks the lowest score whose alerts above reach the target precision', () => {
    const t = precisionThreshold({ target: 0.75, every: 8, minTruePositives: 2, initial: 0.99 });
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
    const t = precisionThreshold({ target: 0.9, every: 4, minTruePositives: 1 });
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
    const t = precisionThreshold({ target: 1, window: 4, every: 4, minTruePositives: 1 });
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
