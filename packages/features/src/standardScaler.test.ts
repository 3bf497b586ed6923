import { describe, expect, it } from 'vitest';
import { standardScaler } from './standardScaler.js';

describe('standardScaler', () => {
  it('learns then scales with the running population std (hand-computed)', () => {
    const s = standardScaler();
    // 1: mean 1, std 0 → 0
    expect(s.learnTransform({ a: 1 })).toEqual({ a: 0 });
    // 3: mean 2, var ((1-2)² + (3-2)²)/2 = 1 → (3 - 2)/1
    expect(s.learnTransform({ a: 3 })).toEqual({ a: 1 });
    // 5: mean 3, var (4 + 0 + 4)/3 = 8/3 → 2/sqrt(8/3)
    expect(s.learnTransform({ a: 5 }).a).toBeCloseTo(2 / Math.sqrt(8 / 3), 12);
    // transform does not learn: mean stays 3
    expect(s.transform({ a: 3 })).toEqual({ a: 0 });
    expect(s.transform({ a: 3 })).toEqual({ a: 0 });
  });

  it('honours withMean and withStd', () => {
    const centreOnly = standardScaler({ withStd: false });
    centreOnly.learn({ a: 2 });
    centreOnly.learn({ a: 4 });
    expect(centreOnly.transform({ a: 5 })).toEqual({ a: 2 });
    const scaleOnly = standardScaler({ withMean: false });
    scaleOnly.learn({ a: 2 });
    scaleOnly.learn({ a: 4 });
    // std = 1 → x / 1
    expect(scaleOnly.transform({ a: 5 })).toEqual({ a: 5 });
  });

  it('scales only the listed fields, skips missing values and passes other fields through', () => {
    const s = standardScaler<{ a: number | null; b: number; id: string }>({ fields: ['a'] });
    s.learn({ a: 1, b: 100, id: 'x' });
    s.learn({ a: null, b: 100, id: 'y' });
    s.learn({ a: 3, b: 100, id: 'z' });
    expect(s.transform({ a: 3, b: 7, id: 'q' })).toEqual({ a: 1, b: 7, id: 'q' });
    expect(s.transform({ a: null, b: 7, id: 'q' })).toEqual({ a: null, b: 7, id: 'q' });
  });

  it('throws FEATURE_NOT_NUMERIC for a listed field holding text', () => {
    const s = standardScaler<Record<string, unknown>>({ fields: ['a'] });
    expect(() => s.learn({ a: 'x' })).toThrow(
      expect.objectContaining({ code: 'FEATURE_NOT_NUMERIC' }),
    );
  });

  it('snapshots and restores to identical output, without aliasing', () => {
    const s = standardScaler();
    for (const a of [3, 8, 1, 9, 4]) s.learn({ a, b: a * 2 });
    const snap = s.snapshot();
    const json = JSON.parse(JSON.stringify(snap));
    s.learn({ a: 1000, b: 0 });
    const t = standardScaler();
    t.restore(json);
    const fresh = standardScaler();
    fresh.restore(snap);
    const expected = standardScaler();
    for (const a of [3, 8, 1, 9, 4]) expected.learn({ a, b: a * 2 });
    expect(t.transform({ a: 5, b: 5 })).toEqual(expected.transform({ a: 5, b: 5 }));
    expect(fresh.transform({ a: 5, b: 5 })).toEqual(expected.transform({ a: 5, b: 5 }));
  });

  it('rejects snapshots of another kind and bad options', () => {
    expect(() => standardScaler().restore({ kind: 'minMaxScaler', version: 1, state: {} })).toThrow(
      expect.objectContaining({ code: 'FEATURE_SNAPSHOT_INVALID' }),
    );
    expect(() =>
      standardScaler().restore({ kind: 'standardScaler', version: 1, state: { a: [1, 2] } }),
    ).toThrow(expect.objectContaining({ code: 'FEATURE_SNAPSHOT_INVALID' }));
    expect(() => standardScaler({ fields: [] as never[] })).not.toThrow();
    expect(() => standardScaler({ withMean: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('as a stage learns then transforms, or only transforms when learn is false', () => {
    const ctx = {} as never;
    const live = standardScaler();
    live.process({ a: 1 }, ctx);
    expect(live.process({ a: 3 }, ctx)).toEqual({ a: 1 });
    const frozen = standardScaler({ learn: false });
    frozen.restore(live.snapshot());
    expect(frozen.process({ a: 3 }, ctx)).toEqual({ a: 1 });
    expect(frozen.process({ a: 3 }, ctx)).toEqual({ a: 1 });
    expect(live.name).toBe('standardScaler');
  });
});

describe('standardScaler with a bad record', () => {
  it('changes no statistics when a listed field is not numeric', () => {
    const s = standardScaler<Record<string, unknown>>({ fields: ['a', 'b'] });
    s.learn({ a: 1, b: 1 });
    const before = JSON.stringify(s.snapshot());
    expect(() => s.learn({ a: 5, b: 'x' })).toThrow(
      expect.objectContaining({ code: 'FEATURE_NOT_NUMERIC' }),
    );
    expect(JSON.stringify(s.snapshot())).toBe(before);
  });
});
