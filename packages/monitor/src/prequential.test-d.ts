import { pipeline, type Sink, type Source, type StageObject, to, when } from '@tributary/core';
import { type FeatureVector, featureVector } from '@tributary/features';
import { hoeffdingTree, linearRegression, logisticRegression } from '@tributary/learn';
import { describe, expectTypeOf, it } from 'vitest';
import {
  accuracy,
  adwin,
  type DriftEvent,
  type Evaluation,
  isDriftEvent,
  type OnlineModel,
  type Prediction,
  type PrequentialStage,
  prequential,
  rocAuc,
} from './index.js';

interface Tx {
  readonly amount: number;
  readonly fraud: boolean;
  readonly kind: number;
}
type Fv = FeatureVector<Tx>;

/** The prediction records a stage outputs. */
type PredictionOf<S> =
  S extends StageObject<never, infer O> ? Extract<O, { type: 'prediction' }> : never;

describe('prequential types', () => {
  it("types a prediction's probability by the model's predictProba", () => {
    const binary = prequential({
      model: logisticRegression(),
      features: (v: Fv) => v.x,
      label: (v) => v.value.fraud,
      metrics: [accuracy(), rocAuc()],
    });
    expectTypeOf<PredictionOf<typeof binary>>().toEqualTypeOf<Prediction<Fv, boolean, number>>();
    expectTypeOf<PredictionOf<typeof binary>['probability']>().toEqualTypeOf<number>();

    const multiclass = prequential({
      model: hoeffdingTree(),
      features: (v: Fv) => v.x,
      label: (v) => v.value.kind,
    });
    expectTypeOf<PredictionOf<typeof multiclass>['probability']>().toEqualTypeOf<Float64Array>();

    const regressor = prequential({
      model: linearRegression(),
      features: (v: Fv) => v.x,
      label: (v) => v.value.amount,
    });
    expectTypeOf<PredictionOf<typeof regressor>['probability']>().toEqualTypeOf<undefined>();

    // A model typed only as "may have predictProba" gives what it declares.
    const own = {} as OnlineModel<Float64Array, boolean, boolean>;
    const custom = prequential({ model: own, features: (v: Fv) => v.x });
    expectTypeOf<PredictionOf<typeof custom>['probability']>().toEqualTypeOf<unknown>();
    // Four explicit type arguments (the older way to name the input) still compile.
    const explicit = prequential<Fv, Float64Array, boolean, boolean>({
      model: logisticRegression(),
      features: (v) => v.x,
    });
    expectTypeOf<PredictionOf<typeof explicit>['probability']>().toEqualTypeOf<unknown>();
  });

  it('prequential<Input>() types every accessor of a standalone stage from the input', () => {
    const scorer = prequential<Fv>()({
      name: 'fraud',
      model: logisticRegression(),
      features: (v) => v.x,
      label: (v) => v.value.fraud,
      id: (v) => String(v.value.amount),
      eventTime: (v, ctx) => ctx.timestamp + v.value.amount,
      drift: { detector: {} as never, signal: (y, p) => (y === p ? 0 : 1), onDrift: 'reset' },
    });
    expectTypeOf(scorer).toEqualTypeOf<
      PrequentialStage<Fv, Float64Array, boolean, boolean, number>
    >();
    prequential<Fv>()({
      model: logisticRegression(),
      features: (v) => v.x,
      // @ts-expect-error a binary classifier learns booleans, not the amount
      label: (v) => v.value.amount,
    });
    prequential<Fv>()({
      model: logisticRegression(),
      // @ts-expect-error the input has no `y` field
      features: (v) => v.y,
    });
  });

  it('pipes a standalone stage after the feature vector and routes its predictions', () => {
    const source = {} as Source<Tx>;
    const scorer = prequential<Fv>()({
      model: logisticRegression(),
      features: (v) => v.x,
      label: (v) => v.value.fraud,
    });
    const scores = {} as Sink<{ readonly amount: number; readonly score: number }>;
    pipeline(source)
      .pipe(featureVector<Tx>({ columns: ['amount'] }))
      .pipe(scorer)
      .to(
        when(
          (o) => o.type === 'prediction',
          (p) => ({ amount: p.value.value.amount, score: p.probability }),
          scores,
        ),
      );
    const wrongInput = prequential<{ readonly y: Float64Array }>()({
      model: logisticRegression(),
      features: (v) => v.y,
    });
    const vectors = pipeline(source).pipe(featureVector<Tx>({ columns: ['amount'] }));
    // @ts-expect-error the stage takes another input than the feature vector
    vectors.pipe(wrongInput);
  });

  it('routes each kind of output to its own sink with when', () => {
    const scorer = prequential<Fv>()({
      model: logisticRegression(),
      features: (v) => v.x,
      label: (v) => v.value.fraud,
      emitEvaluations: true,
      drift: { detector: adwin(), signal: (y, p) => (y === p ? 0 : 1), onDrift: 'reset' },
    });
    const outs = pipeline({} as Source<Tx>)
      .pipe(featureVector<Tx>({ columns: ['amount'] }))
      .pipe(scorer);
    const predictions = {} as Sink<Prediction<Fv, boolean, number>>;
    const evaluations = {} as Sink<Evaluation<boolean, boolean>>;
    const drifts = {} as Sink<DriftEvent>;
    outs.to(
      when((o) => o.type === 'prediction', predictions),
      when((o) => o.type === 'evaluation', evaluations),
      when(isDriftEvent, drifts),
      when(
        (o) => o.type === 'evaluation',
        (e) => {
          expectTypeOf(e.label).toEqualTypeOf<boolean>();
          expectTypeOf(e.delayMs).toEqualTypeOf<number>();
          return { amount: e.delayMs, score: e.prediction === e.label ? 1 : 0 };
        },
        {} as Sink<{ readonly amount: number; readonly score: number }>,
      ),
    );
    // The comparison on `type` narrows to the drift event as isDriftEvent does.
    outs.to(when((o) => o.type === 'drift', drifts));
    // @ts-expect-error a sink of predictions cannot take evaluations and drift events too
    outs.to(predictions);
    // @ts-expect-error the guard picks evaluations, the sink takes predictions
    outs.to(when((o) => o.type === 'evaluation', predictions));
    // @ts-expect-error a boolean predicate narrows nothing
    outs.to(when((o): boolean => o.type === 'drift', drifts));
    // Every output, reshaped by a map that sees the whole union.
    outs.to(
      to({} as Sink<string>, {
        map: (o) => {
          expectTypeOf(o).toEqualTypeOf<
            Prediction<Fv, boolean, number> | Evaluation<boolean, boolean> | DriftEvent
          >();
          return o.type;
        },
      }),
    );
  });
  it("takes pending 'memory' or 'state', and a predictionTopic", () => {
    const opts = {
      model: logisticRegression(),
      features: (v: Fv) => v.x,
      id: (v: Fv) => String(v.value.amount),
    };
    prequential({ ...opts, pending: 'state', predictionTopic: 'transactions' });
    prequential({ ...opts, pending: 'memory' });
    // @ts-expect-error pending is kept in stage memory or in keyed state, nowhere else
    prequential({ ...opts, pending: 'disk' });
    // @ts-expect-error the prediction topic is a topic name
    prequential({ ...opts, pending: 'state', predictionTopic: 3 });
  });
});
