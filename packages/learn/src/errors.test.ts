import { isTributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  adam,
  gaussianNaiveBayes,
  halfSpaceTrees,
  hoeffdingTree,
  kMeans,
  type LearnerSnapshot,
  linearRegression,
  logisticRegression,
  thompsonSampling,
} from './index.js';

const v = (...xs: number[]) => Float64Array.from(xs);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (error) {
    return isTributaryError(error) ? error.code : `not a TributaryError: ${String(error)}`;
  }
  return undefined;
}

describe('input checks', () => {
  it('fixes the dimension from the first vector and rejects others', () => {
    const m = logisticRegression();
    m.learn(v(1, 2), true);
    expect(codeOf(() => m.predict(v(1)))).toBe('LEARN_DIMENSION_MISMATCH');
    expect(codeOf(() => hoeffdingTree({ features: 3 }).learn(v(1), 0))).toBe(
      'LEARN_DIMENSION_MISMATCH',
    );
  });

  it('rejects NaN and Infinity instead of poisoning the model', () => {
    const m = linearRegression();
    expect(codeOf(() => m.learn(v(1, Number.NaN), 1))).toBe('LEARN_NON_FINITE');
    expect(codeOf(() => m.learn(v(1, 2), Number.POSITIVE_INFINITY))).toBe('LEARN_NON_FINITE');
    expect(codeOf(() => m.learn(v(1, 2), 1, -1))).toBe('LEARN_NON_FINITE');
    expect(m.predict(v(1, 2))).toBe(0);
  });

  it('rejects NaN and Infinity in a trained model too, whatever the weight, changing nothing', () => {
    const lr = logisticRegression();
    const reg = linearRegression();
    for (const [m, learn] of [
      [lr, (x: Float64Array) => lr.learn(x, true)],
      [reg, (x: Float64Array) => reg.learn(x, 1)],
    ] as const) {
      learn(v(1, 0, 2)); // the middle weight stays 0: 0·∞ must still be caught
      const before = m.snapshot();
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        for (let i = 0; i < 3; i++) {
          const x = v(1, 0, 2);
          x[i] = bad;
          expect(codeOf(() => m.predict(x))).toBe('LEARN_NON_FINITE');
          expect(codeOf(() => learn(x))).toBe('LEARN_NON_FINITE');
        }
      }
      expect(m.snapshot()).toEqual(before);
      // Finite values whose score overflows are not an input error.
      expect(codeOf(() => m.predict(v(1e308, 0, 1e308)))).toBeUndefined();
    }
  });

  it('rejects labels of the wrong kind', () => {
    expect(codeOf(() => gaussianNaiveBayes().learn(v(1), 1.5))).toBe('LEARN_BAD_LABEL');
    expect(codeOf(() => gaussianNaiveBayes().learn(v(1), -1))).toBe('LEARN_BAD_LABEL');
    const lr = logisticRegression();
    expect(codeOf(() => lr.learn(v(1), 1 as unknown as boolean))).toBe('LEARN_BAD_LABEL');
  });

  it('names the bad option', () => {
    expect(() => logisticRegression({ l2: -1 })).toThrow(/`l2`/);
    expect(() => logisticRegression({ optimizer: adam(0.1, 1) })).toThrow(/`beta1`/);
    expect(() => hoeffdingTree({ gracePeriod: 0 })).toThrow(/`gracePeriod`/);
    expect(() => kMeans({ clusters: 1.5 })).toThrow(/`clusters`/);
    expect(() => halfSpaceTrees({ height: 0 })).toThrow(/`height`/);
    expect(() => thompsonSampling({ arms: 0 })).toThrow(/`arms`/);
    expect(codeOf(() => kMeans({ rate: 2 }))).toBe('INVALID_OPTION');
  });
});

describe('restore', () => {
  it('refuses a snapshot of another type and leaves the model unchanged', () => {
    const m = logisticRegression();
    m.learn(v(1), true);
    const before = m.predictProba(v(1));
    const other = hoeffdingTree().snapshot();
    expect(codeOf(() => m.restore(other))).toBe('LEARN_BAD_SNAPSHOT');
    expect(m.predictProba(v(1))).toBe(before);
  });

  it('refuses a malformed snapshot and leaves the model unchanged', () => {
    const m = logisticRegression();
    m.learn(v(1, 2), true);
    const good = m.snapshot();
    const bad = { ...good, state: { ...(good.state as object), w: [1] } } as LearnerSnapshot;
    expect(codeOf(() => m.restore(bad))).toBe('LEARN_BAD_SNAPSHOT');
    expect(m.snapshot()).toEqual(good);
    expect(codeOf(() => m.restore(null as unknown as LearnerSnapshot))).toBe('LEARN_BAD_SNAPSHOT');
  });

  it('adopts the options carried by the snapshot', () => {
    const trained = logisticRegression({ l2: 0.5 });
    const m = logisticRegression();
    m.restore(trained.snapshot());
    expect(m.snapshot().options).toEqual(trained.snapshot().options);
  });
});
