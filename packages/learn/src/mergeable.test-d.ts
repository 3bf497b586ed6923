import { describe, expectTypeOf, it } from 'vitest';
import {
  ftrlProximal,
  gaussianNaiveBayes,
  halfSpaceTrees,
  hoeffdingTree,
  kMeans,
  linUcb,
  logisticRegression,
  type Mergeable,
  oneVsRest,
  recursiveLeastSquares,
  ucb1,
} from './index.js';

describe('Mergeable at the type level', () => {
  it('the families with a merge rule have it', () => {
    expectTypeOf(logisticRegression()).toExtend<Mergeable>();
    expectTypeOf(ftrlProximal()).toExtend<Mergeable>();
    expectTypeOf(recursiveLeastSquares()).toExtend<Mergeable>();
    expectTypeOf(gaussianNaiveBayes()).toExtend<Mergeable>();
    expectTypeOf(kMeans()).toExtend<Mergeable>();
    expectTypeOf(ucb1({ arms: 2 })).toExtend<Mergeable>();
    expectTypeOf(linUcb({ arms: 2 })).toExtend<Mergeable>();
  });

  it('trees and adapters do not', () => {
    expectTypeOf(hoeffdingTree()).not.toExtend<Mergeable>();
    expectTypeOf(halfSpaceTrees()).not.toExtend<Mergeable>();
    expectTypeOf(oneVsRest(logisticRegression())).not.toExtend<Mergeable>();
  });
});
