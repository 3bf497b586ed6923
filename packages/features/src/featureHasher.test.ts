import { describe, expect, it } from 'vitest';
import { featureHasher } from './featureHasher.js';

describe('featureHasher', () => {
  it('matches scikit-learn FeatureHasher(n_features=16) on dict input', () => {
    // sklearn: FeatureHasher(16).transform([{color:'red', amount:2.5, flag:True}, {color:'blue', amount:-1.0}])
    const h = featureHasher({ fields: ['color', 'amount', 'flag'], nFeatures: 16 });
    const a = new Float64Array(16);
    a[2] = -1; // "color=red": h = -1599434706 → |h| % 16 = 2, negative sign
    a[10] = 2.5; // "amount": h = 1235209082 → 10
    a[12] = 1; // "flag" (True as 1)
    expect(h.hash({ color: 'red', amount: 2.5, flag: true })).toEqual(a);
    // "color=blue" and "amount" both land on 10 with + sign: 1 + (-1) cancels, as in sklearn
    expect(h.hash({ color: 'blue', amount: -1 })).toEqual(new Float64Array(16));
  });

  it('replaces the hashed fields by one vector field and skips missing values', () => {
    const h = featureHasher<{ color: string | null; id: string }, 'color', 'v'>({
      fields: ['color'],
      nFeatures: 4,
      into: 'v',
      alternateSign: false,
    });
    const out = h.learnTransform({ color: 'red', id: 'x' });
    expect(Object.keys(out)).toEqual(['id', 'v']);
    expect([...out.v]).toEqual([0, 0, 1, 0]); // 1599434706 % 4 = 2, unsigned
    expect([...h.transform({ color: null, id: 'y' }).v]).toEqual([0, 0, 0, 0]);
  });

  it('is stateless: snapshot holds null and restore checks it', () => {
    const h = featureHasher({ fields: ['a'], nFeatures: 8 });
    expect(h.snapshot()).toEqual({ kind: 'featureHasher', version: 1, state: null });
    h.restore(h.snapshot());
    expect(() => h.restore({ kind: 'featureHasher', version: 1, state: {} })).toThrow(
      expect.objectContaining({ code: 'FEATURE_SNAPSHOT_INVALID' }),
    );
    expect(() => featureHasher({ fields: ['a'], nFeatures: 0 })).toThrow(/nFeatures/);
  });
});
