import { describe, expect, it } from 'vitest';
import {
  type AnyLearner,
  adagrad,
  adam,
  asBinary,
  ftrlProximal,
  gaussianNaiveBayes,
  halfSpaceTrees,
  hoeffdingTree,
  kMeans,
  type LearnerSnapshot,
  linearRegression,
  logisticRegression,
  oneVsRest,
  passiveAggressiveClassifier,
  passiveAggressiveRegressor,
  perceptron,
  recursiveLeastSquares,
} from './index.js';
import { Rng } from './internal/rng.js';

const D = 4;

/** A reproducible stream: x in [0,1]^D, a linear binary label, a real target and a 3-class id. */
function stream(n: number, seed = 7) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const x = Float64Array.from({ length: D }, () => rng.next());
    const s = 2 * x[0]! - x[1]! + 0.5 * x[2]! - 0.6 + 0.1 * rng.normal();
    return {
      x,
      bin: s > 0,
      reg: 3 * x[0]! - 2 * x[3]! + 0.1 * rng.normal(),
      cls: s > 0.4 ? 2 : s > -0.2 ? 1 : 0,
    };
  });
}

type Row = ReturnType<typeof stream>[number];

function train(m: AnyLearner, r: Row): void {
  if (m.kind === 'binary') m.learn(r.x, r.bin);
  else if (m.kind === 'multiclass') m.learn(r.x, r.cls);
  else if (m.kind === 'regressor') m.learn(r.x, r.reg);
  else m.learn(r.x);
}

function outputs(m: AnyLearner, rows: Row[]): unknown[] {
  return rows.map((r) => {
    switch (m.kind) {
      case 'binary':
        return [m.predict(r.x), m.predictProba(r.x)];
      case 'multiclass':
        return [m.predict(r.x), Array.from(m.predictProba(r.x))];
      default:
        return m.predict(r.x);
    }
  });
}

const learners: Record<string, () => AnyLearner> = {
  logisticRegression: () => logisticRegression(),
  'logisticRegression adagrad l1': () => logisticRegression({ optimizer: adagrad(), l1: 0.001 }),
  'logisticRegression adam l2': () => logisticRegression({ optimizer: adam(0.05), l2: 0.01 }),
  ftrlProximal: () => ftrlProximal({ l1: 0.1 }),
  linearRegression: () => linearRegression({ optimizer: adam(0.05) }),
  recursiveLeastSquares: () => recursiveLeastSquares({ forgetting: 0.99 }),
  passiveAggressiveClassifier: () => passiveAggressiveClassifier(),
  passiveAggressiveRegressor: () => passiveAggressiveRegressor({ mode: 2 }),
  perceptron: () => perceptron(),
  gaussianNaiveBayes: () => gaussianNaiveBayes(),
  hoeffdingTree: () => hoeffdingTree({ gracePeriod: 50 }),
  'hoeffdingTree mc': () => hoeffdingTree({ gracePeriod: 50, leafPrediction: 'mc' }),
  halfSpaceTrees: () => halfSpaceTrees({ windowSize: 50, height: 5 }),
  kMeans: () => kMeans({ clusters: 3 }),
  'kMeans constant rate': () => kMeans({ clusters: 3, rate: 0.3 }),
  oneVsRest: () => oneVsRest(logisticRegression({ optimizer: adam(0.05) })),
  'asBinary(hoeffdingTree)': () => asBinary(hoeffdingTree({ gracePeriod: 50 })),
};

describe('snapshot → restore → identical predictions', () => {
  const rows = stream(1500);
  const probe = stream(200, 99);
  for (const [name, make] of Object.entries(learners)) {
    it(name, () => {
      const model = make();
      for (const r of rows.slice(0, 1000)) train(model, r);
      // Through JSON text: snapshots must be plain JSON.
      const text = JSON.stringify(model.snapshot());
      const copy = model.clone();
      copy.restore(JSON.parse(text) as LearnerSnapshot);
      expect(outputs(copy, probe)).toEqual(outputs(model, probe));
      expect(JSON.stringify(copy.snapshot())).toBe(text);
      // And they keep learning identically.
      for (const r of rows.slice(1000)) {
        train(model, r);
        train(copy, r);
      }
      expect(outputs(copy, probe)).toEqual(outputs(model, probe));
    });
  }
});
