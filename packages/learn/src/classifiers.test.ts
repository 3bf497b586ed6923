import { describe, expect, it } from 'vitest';
import {
  asBinary,
  gaussianNaiveBayes,
  hoeffdingTree,
  logisticRegression,
  type MulticlassClassifier,
  oneVsRest,
  sgd,
} from './index.js';
import { Rng } from './internal/rng.js';

const v = (...xs: number[]) => Float64Array.from(xs);

/** Test-then-train accuracy of a multiclass learner on a generated stream. */
function prequential(
  m: MulticlassClassifier,
  n: number,
  gen: (rng: Rng) => { x: Float64Array; y: number },
): number {
  const rng = new Rng(1);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const { x, y } = gen(rng);
    if (m.predict(x) === y) correct += 1;
    m.learn(x, y);
  }
  return correct / n;
}

/** Three Gaussian blobs in 2-D. */
const blobs = (rng: Rng) => {
  const y = rng.int(3);
  const centre = [
    [0, 0],
    [3, 0],
    [0, 3],
  ][y]!;
  return { x: v(centre[0]! + 0.5 * rng.normal(), centre[1]! + 0.5 * rng.normal()), y };
};

describe('gaussianNaiveBayes', () => {
  it('predicts from class means and variances by hand', () => {
    const m = gaussianNaiveBayes();
    expect(m.predict(v(1))).toBe(-1);
    expect(m.predictProba(v(1)).length).toBe(0);
    m.learn(v(0), 0);
    m.learn(v(2), 0); // mean 1, variance 2
    m.learn(v(4), 1);
    m.learn(v(6), 1); // mean 5, variance 2
    expect(m.classes).toBe(2);
    const mid = m.predictProba(v(3));
    expect(mid[0]).toBeCloseTo(0.5, 12);
    // log-odds at x = 1: ((1 − 5)² − (1 − 1)²) / (2·2) = 4
    expect(m.predictProba(v(1))[0]).toBeCloseTo(1 / (1 + Math.exp(-4)), 8);
    expect(m.predict(v(1))).toBe(0);
    expect(m.predict(v(5.5))).toBe(1);
  });

  it('fills a caller buffer, and rejects one too short', () => {
    const m = gaussianNaiveBayes();
    m.learn(v(0), 0);
    m.learn(v(1), 2);
    const out = new Float64Array(4).fill(9);
    expect(m.predictProba(v(0.1), out)).toBe(out);
    expect(out[1]).toBe(0); // class 1 never seen
    expect(out[3]).toBe(0);
    expect(() => m.predictProba(v(0), new Float64Array(2))).toThrow(/out/);
  });

  it('learns three blobs', () => {
    expect(prequential(gaussianNaiveBayes(), 2000, blobs)).toBeGreaterThan(0.95);
  });
});

describe('hoeffdingTree', () => {
  const step = (rng: Rng) => {
    const x = v(rng.next(), rng.next());
    return { x, y: x[0]! > 0.6 ? 1 : 0 };
  };

  it('splits once the Hoeffding bound allows it, near the true threshold', () => {
    const m = hoeffdingTree({ gracePeriod: 200 });
    const rng = new Rng(3);
    for (let i = 0; i < 199; i++) {
      const { x, y } = step(rng);
      m.learn(x, y);
    }
    expect(m.size.splits).toBe(0);
    for (let i = 0; i < 2000; i++) {
      const { x, y } = step(rng);
      m.learn(x, y);
    }
    expect(m.size.splits).toBeGreaterThanOrEqual(1);
    // The root split is on feature 0, within one candidate bin of 0.6.
    const root = (m.snapshot().state as { root: { feature: number; threshold: number } }).root;
    expect(root.feature).toBe(0);
    expect(Math.abs(root.threshold - 0.6)).toBeLessThan(1 / 11);
  });

  it('does not split on pure noise before the tie threshold (n < R²ln(1/δ)/(2τ²) ≈ 3224)', () => {
    const m = hoeffdingTree();
    const rng = new Rng(4);
    for (let i = 0; i < 3000; i++) m.learn(v(rng.next(), rng.next(), rng.next()), rng.int(2));
    expect(m.size.splits).toBe(0);
  });

  it('honours maxDepth', () => {
    const m = hoeffdingTree({ gracePeriod: 50, maxDepth: 1, tau: 1 });
    const rng = new Rng(5);
    for (let i = 0; i < 5000; i++) {
      const x = v(rng.next(), rng.next());
      m.learn(x, (x[0]! > 0.5 ? 1 : 0) ^ (x[1]! > 0.5 ? 1 : 0));
    }
    expect(m.size.depth).toBeLessThanOrEqual(1);
  });

  it('learns three blobs along one axis with each leaf prediction mode', () => {
    // Blobs on a line: one feature is clearly best, so the bound separates it from the other.
    const line = (rng: Rng) => {
      const y = rng.int(3);
      return { x: v(3 * y + 0.5 * rng.normal(), rng.next()), y };
    };
    for (const leafPrediction of ['mc', 'nb', 'nba'] as const) {
      const acc = prequential(hoeffdingTree({ leafPrediction, gracePeriod: 100 }), 3000, line);
      expect(acc, leafPrediction).toBeGreaterThan(0.85);
    }
  });

  it('probabilities sum to 1 and classes grow as they appear', () => {
    const m = hoeffdingTree();
    m.learn(v(0, 0), 0);
    expect(m.classes).toBe(1);
    m.learn(v(1, 1), 4);
    expect(m.classes).toBe(5);
    const p = m.predictProba(v(0.5, 0.5));
    expect(p.length).toBe(5);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('oneVsRest', () => {
  it('learns three blobs from binary logistic regressions', () => {
    const m = oneVsRest(logisticRegression({ optimizer: sgd(0.1), interceptLr: 0.1 }));
    expect(prequential(m, 3000, blobs)).toBeGreaterThan(0.9);
    expect(m.classes).toBe(3);
    const p = m.predictProba(v(3, 0));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(m.predict(v(3, 0))).toBe(1);
  });
});

describe('asBinary', () => {
  it('views class 1 of a multiclass model as true', () => {
    const tree = hoeffdingTree();
    const m = asBinary(tree);
    expect(m.predictProba(v(0))).toBe(0.5);
    m.learn(v(0), false);
    m.learn(v(0), true);
    m.learn(v(0), true);
    expect(tree.classes).toBe(2);
    expect(m.predictProba(v(0))).toBeCloseTo(2 / 3, 12);
    expect(m.predict(v(0))).toBe(true);
    expect(() => asBinary(tree, { positive: 0 })).toThrow(/negative/);
  });
});
