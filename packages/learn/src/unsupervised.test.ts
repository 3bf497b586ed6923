import { describe, expect, it } from 'vitest';
import { halfSpaceTrees, kMeans } from './index.js';
import { Rng } from './internal/rng.js';

const v = (...xs: number[]) => Float64Array.from(xs);

describe('halfSpaceTrees', () => {
  it('scores 0 during the first window, then rates outliers above inliers', () => {
    const m = halfSpaceTrees({ windowSize: 100, seed: 1 });
    const rng = new Rng(2);
    const inlier = () => v(0.5 + 0.05 * rng.normal(), 0.5 + 0.05 * rng.normal());
    for (let i = 0; i < 99; i++) m.learn(inlier());
    expect(m.predict(v(0.99, 0.01))).toBe(0);
    for (let i = 0; i < 500; i++) m.learn(inlier());
    const inlierScores = Array.from({ length: 50 }, () => m.predict(inlier()));
    const outlier = m.predict(v(0.97, 0.03));
    expect(outlier).toBeGreaterThan(Math.max(...inlierScores));
    expect(outlier).toBeLessThanOrEqual(1);
    expect(Math.min(...inlierScores)).toBeGreaterThanOrEqual(0);
  });

  it('is reproducible from its seed, and seeds change the trees', () => {
    const a = halfSpaceTrees({ seed: 7, features: 3 });
    const b = halfSpaceTrees({ seed: 7, features: 3 });
    const c = halfSpaceTrees({ seed: 8, features: 3 });
    expect(a.snapshot()).toEqual(b.snapshot());
    expect(a.snapshot()).not.toEqual(c.snapshot());
  });

  it('learns the same after predicting on the vector as without, buffer reused or not', () => {
    // `a` scores each vector, then learns it (predict remembers its walk); `b` only learns.
    // The shared buffer is rewritten between a's predict and learn every third record.
    const a = halfSpaceTrees({ windowSize: 50, height: 6, seed: 3, features: 4 });
    const b = halfSpaceTrees({ windowSize: 50, height: 6, seed: 3, features: 4 });
    const rng = new Rng(4);
    const x = new Float64Array(4);
    const fill = () => {
      for (let j = 0; j < 4; j++) x[j] = rng.next();
    };
    for (let i = 0; i < 600; i++) {
      fill();
      a.predict(x);
      if (i % 3 === 2) fill();
      a.learn(x);
      b.learn(x);
    }
    expect(a.snapshot()).toEqual(b.snapshot());
    fill();
    expect(a.predict(x)).toBe(b.predict(x));
  });

  it('validates limits against features', () => {
    expect(() => halfSpaceTrees({ limits: [[1, 0]] })).toThrow(/limits\[0\]/);
    expect(() => halfSpaceTrees({ limits: [[0, 1]], features: 2 })).toThrow(/features/);
  });
});

describe('kMeans', () => {
  it('seeds centres with the first records, then moves the nearest to the running mean', () => {
    const m = kMeans({ clusters: 2 });
    expect(m.predict(v(0, 0))).toBe(-1);
    m.learn(v(0, 0));
    m.learn(v(10, 10));
    m.learn(v(1, 1)); // nearest centre 0, count 2 → (0.5, 0.5)
    m.learn(v(2, 2)); // count 3 → (1, 1)
    expect(m.centers().map((c) => Array.from(c))).toEqual([
      [1, 1],
      [10, 10],
    ]);
    expect(m.predict(v(8, 9))).toBe(1);
  });

  it('with a constant rate, moves a fixed fraction of the way', () => {
    const m = kMeans({ clusters: 1, rate: 0.5 });
    m.learn(v(0));
    m.learn(v(4));
    expect(m.centers()[0]![0]).toBe(2);
  });
});
