import { describe, expectTypeOf, it } from 'vitest';
import {
  type AnomalyDetector,
  type Clusterer,
  gaussianNaiveBayes,
  halfSpaceTrees,
  hoeffdingTree,
  kMeans,
  type Learner,
  linearRegression,
  logisticRegression,
  oneVsRest,
  type Regressor,
} from './index.js';

// A caller generic over learners (an evaluation stage, a serving wrapper) reads these off.
declare function outputs<Y, P, Q>(learner: Learner<Y, P, Q>): { prediction: P; probability: Q };

describe('Learner types', () => {
  it('carries the prediction and probability types of each family', () => {
    expectTypeOf(outputs(logisticRegression())).toEqualTypeOf<{
      prediction: boolean;
      probability: number;
    }>();
    expectTypeOf(outputs(hoeffdingTree())).toEqualTypeOf<{
      prediction: number;
      probability: Float64Array;
    }>();
    expectTypeOf(outputs(gaussianNaiveBayes())).toEqualTypeOf<{
      prediction: number;
      probability: Float64Array;
    }>();
    expectTypeOf(
      outputs(oneVsRest(logisticRegression())).probability,
    ).toEqualTypeOf<Float64Array>();
    const binary: Learner<boolean, boolean, number> = logisticRegression();
    expectTypeOf(binary.predictProba).toEqualTypeOf<((x: Float64Array) => number) | undefined>();
  });

  it('has no probability on regressors, anomaly detectors and clusterers', () => {
    expectTypeOf<Regressor['predictProba']>().toEqualTypeOf<undefined>();
    expectTypeOf<AnomalyDetector['predictProba']>().toEqualTypeOf<undefined>();
    expectTypeOf<Clusterer['predictProba']>().toEqualTypeOf<undefined>();
    expectTypeOf(linearRegression().predictProba).toEqualTypeOf<undefined>();
    expectTypeOf(halfSpaceTrees().predictProba).toEqualTypeOf<undefined>();
    expectTypeOf(kMeans().predictProba).toEqualTypeOf<undefined>();
  });

  it('rejects a learner whose probability type differs', () => {
    // @ts-expect-error a binary classifier's probability is a number, not class probabilities
    const wrong: Learner<boolean, boolean, Float64Array> = logisticRegression();
    void wrong;
  });
});
