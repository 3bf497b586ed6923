import { describe, expect, it } from 'vitest';
import {
  type AnyLearner,
  asBinary,
  ftrlProximal,
  gaussianNaiveBayes,
  halfSpaceTrees,
  hoeffdingTree,
  kMeans,
  linearRegression,
  logisticRegression,
  oneVsRest,
  passiveAggressiveClassifier,
  passiveAggressiveRegressor,
  perceptron,
  recursiveLeastSquares,
} from './index.js';

// The documented answer of each family before any learning (learner.ts).
const untrained = { binary: false, multiclass: -1, regressor: 0, anomaly: 0, clusterer: -1 };
const learners: [string, () => AnyLearner][] = [
  ['logisticRegression', () => logisticRegression()],
  ['perceptron', () => perceptron()],
  ['passiveAggressiveClassifier', () => passiveAggressiveClassifier()],
  ['ftrlProximal', () => ftrlProximal()],
  ['asBinary(hoeffdingTree)', () => asBinary(hoeffdingTree())],
  ['gaussianNaiveBayes', () => gaussianNaiveBayes()],
  ['hoeffdingTree', () => hoeffdingTree()],
  ['oneVsRest', () => oneVsRest(logisticRegression())],
  ['linearRegression', () => linearRegression()],
  ['recursiveLeastSquares', () => recursiveLeastSquares()],
  ['passiveAggressiveRegressor', () => passiveAggressiveRegressor()],
  ['halfSpaceTrees', () => halfSpaceTrees()],
  ['kMeans', () => kMeans({ clusters: 2 })],
];

function teach(m: AnyLearner, x: Float64Array): void {
  if (m.kind === 'binary') m.learn(x, true);
  else if (m.kind === 'multiclass') m.learn(x, 1);
  else if (m.kind === 'regressor') m.learn(x, 2);
  else m.learn(x);
}

describe('an untrained learner', () => {
  for (const [name, make] of learners) {
    it(`${name}: predict gives the documented value and never fixes the input length`, () => {
      const m = make();
      const before = JSON.stringify(m.snapshot());
      expect(m.predict(Float64Array.of(0.1, 0.2, 0.3))).toBe(untrained[m.kind]);
      expect(m.predict(Float64Array.of(0.5))).toBe(untrained[m.kind]);
      if (m.kind === 'binary') expect(m.predictProba(Float64Array.of(0.5))).toBe(0.5);
      if (m.kind === 'multiclass') expect(m.predictProba(Float64Array.of(0.5)).length).toBe(0);
      expect(JSON.stringify(m.snapshot())).toBe(before);
      // The first vector learned fixes the length; predicting with another is then an error.
      teach(m, Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5));
      expect(() => m.predict(Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5))).not.toThrow();
      expect(() => m.predict(Float64Array.of(0.1, 0.2, 0.3))).toThrow(
        expect.objectContaining({ code: 'LEARN_DIMENSION_MISMATCH' }),
      );
    });
  }

  it('still rejects a non-finite vector before any learning', () => {
    expect(() => logisticRegression().predict(Float64Array.of(Number.NaN))).toThrow(
      expect.objectContaining({ code: 'LEARN_NON_FINITE' }),
    );
  });
});
