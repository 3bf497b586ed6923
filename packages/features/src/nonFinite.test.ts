import { describe, expect, it } from 'vitest';
import { clip } from './clip.js';
import { featureHasher } from './featureHasher.js';
import { featureVector } from './featureVector.js';
import { imputer } from './imputer.js';
import { logTransform } from './logTransform.js';
import { minMaxScaler } from './minMaxScaler.js';
import { standardScaler } from './standardScaler.js';
import type { Transform } from './transform.js';

const notFinite = expect.objectContaining({ code: 'FEATURE_NOT_FINITE' });

describe('±Infinity is a typed error, and learns nothing', () => {
  const cases: [string, () => Transform<Record<string, unknown>, unknown>][] = [
    ['standardScaler (all fields)', () => standardScaler()],
    ['standardScaler (listed)', () => standardScaler({ fields: ['a', 'b'] })],
    ['minMaxScaler', () => minMaxScaler()],
    ['imputer', () => imputer({ fields: { a: 'mean', b: 'mean' } })],
    ['logTransform', () => logTransform()],
    ['clip', () => clip({ max: 10 })],
    ['featureHasher', () => featureHasher({ fields: ['a', 'b'], nFeatures: 8 })],
  ];
  for (const [name, make] of cases) {
    for (const bad of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      it(`${name} rejects ${bad} in learn and transform, statistics unchanged`, () => {
        const t = make();
        t.learn({ a: 1, b: 2 });
        t.learn({ a: 3, b: 5 });
        const before = JSON.stringify(t.snapshot());
        const good = t.transform({ a: 2, b: 4 });
        expect(() => t.learn({ a: 2, b: bad })).toThrow(notFinite);
        expect(() => t.learnTransform({ a: bad, b: 4 })).toThrow(notFinite);
        expect(() => t.transform({ a: 2, b: bad })).toThrow(notFinite);
        expect(JSON.stringify(t.snapshot())).toBe(before);
        expect(t.transform({ a: 2, b: 4 })).toEqual(good);
      });
    }
  }

  it('standardScaler keeps scaling the field after an Infinity (was NaN forever)', () => {
    const s = standardScaler();
    s.learn({ a: 1 });
    expect(() => s.learn({ a: Number.POSITIVE_INFINITY })).toThrow(notFinite);
    s.learn({ a: 3 });
    expect(s.transform({ a: 3 })).toEqual({ a: 1 });
    // The snapshot survives JSON and restores.
    const copy = standardScaler();
    copy.restore(JSON.parse(JSON.stringify(s.snapshot())));
    expect(copy.transform({ a: 3 })).toEqual({ a: 1 });
  });

  it('minMaxScaler keeps its range after an Infinity (was mapping everything to 0)', () => {
    const m = minMaxScaler();
    m.learn({ a: 0 });
    m.learn({ a: 10 });
    expect(() => m.learn({ a: Number.POSITIVE_INFINITY })).toThrow(notFinite);
    expect(m.transform({ a: 5 })).toEqual({ a: 0.5 });
  });

  it('restore rejects statistics holding non-finite numbers', () => {
    const snapshot = { kind: 'standardScaler', version: 1, state: { a: [2, null, 0] } };
    expect(() => standardScaler().restore(snapshot)).toThrow(
      expect.objectContaining({ code: 'FEATURE_SNAPSHOT_INVALID' }),
    );
  });

  it('featureVector rejects an infinite feature by name', () => {
    const fv = featureVector({ columns: ['a', 'b'] });
    expect(() => fv.assemble({ a: 1, b: Number.NEGATIVE_INFINITY })).toThrow(
      expect.objectContaining({
        code: 'FEATURE_NOT_FINITE',
        details: expect.objectContaining({ field: 'b' }),
      }),
    );
  });
});
