import { jsonSerde, memoryBus, pipeline, type StageObject } from '@tributary/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type BinaryClassifier,
  halfSpaceTrees,
  hoeffdingTree,
  type LearnStageOptions,
  learnStage,
  logisticRegression,
  memoryModelStore,
  type PredictStageOptions,
  type PredictWithOptions,
  predictStage,
  predictWith,
  serveModel,
  type TrainModelOptions,
  trainModel,
} from './index.js';

interface Tx {
  readonly amount: number;
  readonly fraud?: boolean;
}
const features = (t: Tx) => Float64Array.of(t.amount);

describe('stage types', () => {
  it('predictWith infers the prediction type from the learner or from `predict`', () => {
    predictWith(logisticRegression(), {
      features,
      output: (_t, p) => expectTypeOf(p).toEqualTypeOf<boolean>(),
    });
    predictWith(logisticRegression(), {
      features,
      predict: (m, x) => m.predictProba(x),
      output: (_t, p) => expectTypeOf(p).toEqualTypeOf<number>(),
    });
    predictWith(hoeffdingTree(), {
      features,
      predict: (m, x) => m.predictProba(x),
      output: (_t, p) => expectTypeOf(p).toEqualTypeOf<Float64Array>(),
    });
  });

  it('trainModel requires labels of the learner’s type and passes the value through', () => {
    const stage = trainModel(logisticRegression(), { features, label: (t: Tx) => t.fraud });
    expectTypeOf(stage).toEqualTypeOf<StageObject<Tx, Tx>>();
    // @ts-expect-error a binary classifier learns booleans, not numbers
    trainModel(logisticRegression(), { features, label: (t: Tx) => t.amount });
    // @ts-expect-error a multiclass classifier learns class ids, not booleans
    trainModel(hoeffdingTree(), { features, label: (t: Tx) => t.fraud });
    trainModel(halfSpaceTrees(), { features });
  });

  it('the deprecated names are the same functions and option types', () => {
    expectTypeOf(predictStage).toEqualTypeOf(predictWith);
    expectTypeOf(learnStage).toEqualTypeOf(trainModel);
    expectTypeOf<LearnStageOptions<Tx, boolean>>().toEqualTypeOf<TrainModelOptions<Tx, boolean>>();
    expectTypeOf<PredictStageOptions<Tx, Tx, BinaryClassifier, number>>().toEqualTypeOf<
      PredictWithOptions<Tx, Tx, BinaryClassifier, number>
    >();
  });

  it('serveModel gives `output` the prediction and version, and pipes with the right types', () => {
    const bus = memoryBus();
    const stage = serveModel({
      store: memoryModelStore(),
      model: 'm',
      learner: logisticRegression() as BinaryClassifier,
      features,
      output: (t: Tx, isFraud, version) => {
        expectTypeOf(isFraud).toEqualTypeOf<boolean>();
        expectTypeOf(version).toEqualTypeOf<number>();
        return { ...t, isFraud };
      },
    });
    pipeline(bus.source({ serde: jsonSerde<Tx>(), topic: 'in', group: 'g' }))
      .pipe(stage)
      .pipe((v) =>
        expectTypeOf(v).toEqualTypeOf<{ isFraud: boolean; amount: number; fraud?: boolean }>(),
      );
  });
});
