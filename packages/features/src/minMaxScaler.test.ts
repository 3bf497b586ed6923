import { describe, expect, it } from 'vitest';
import { minMaxScaler } from './minMaxScaler.js';

describe('minMaxScaler', () => {
  it('scales into [0, 1] with the running range (hand-computed)', () => {
    const s = minMaxScaler();
    expect(s.learnTransform({ a: 2 })).toEqual({ a: 0 }); // zero range → 0
    expect(s.learnTransform({ a: 6 })).toEqual({ a: 1 });
    expect(s.learnTransform({ a: 4 })).toEqual({ a: 0.5 });
    expect(s.transform({ a: 3 })).toEqual({ a: 0.25 });
    expect(s.transform({ a: 10 })).toEqual({ a: 2 });
    expect(s.transform({ b: 10 })).toEqual({ b: 0 }); // never seen → 0
  });

  it('clips values outside the learned range when asked', () => {
    const s = minMaxScaler({ clip: true });
    s.learn({ a: 0 });
    s.learn({ a: 10 });
    expect(s.transform({ a: 15 })).toEqual({ a: 1 });
    expect(s.transform({ a: -5 })).toEqual({ a: 0 });
  });

  it('snapshots and restores', () => {
    const s = minMaxScaler();
    for (const a of [5, -3, 12]) s.learn({ a });
    const t = minMaxScaler();
    t.restore(JSON.parse(JSON.stringify(s.snapshot())));
    expect(t.transform({ a: 4.5 })).toEqual({ a: 0.5 });
    t.reset();
    expect(t.transform({ a: 4.5 })).toEqual({ a: 0 });
  });
});
