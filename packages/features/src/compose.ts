import { invalidOption, type StageObject, TributaryError } from '@tributary/core';
import { isPlainObject } from './internal/guards.js';
import type { RowStep } from './rowTransform.js';
import { type Vectorizer, vectorize } from './vectorize.js';

/**
 * What `compose` needs from a model: @tributary/learn's learners fit it structurally (this
 * package does not depend on learn), as can any model on `Float64Array` vectors.
 */
export interface VectorModel<Y = never, P = unknown, Q = unknown> {
  /** The model's family, e.g. `'binary'` or `'regressor'`; {@link Composed.kind} repeats it. */
  readonly kind?: string;
  /** Predicts for one row; must not change the model. */
  predict(x: Float64Array): P;
  /** Probabilities behind `predict` (classifiers). */
  predictProba?(x: Float64Array): Q;
  /** Updates the model with one labelled row. */
  learn(x: Float64Array, y: Y, weight?: number): void;
  /** The model as plain data. */
  snapshot(): unknown;
  /** Adopts what `snapshot` returned. */
  // biome-ignore lint/suspicious/noExplicitAny: each model restores its own snapshot type
  restore(snapshot: any): void;
  /** A fresh, untrained model with the same options. */
  clone(): VectorModel<Y, P, Q>;
}

/**
 * When a composed model learns relative to its prediction for the same record:
 * - `'predictThenLearn'` (default, River's `compose.Pipeline`): predict with the statistics of
 *   the records before; then each transform learns the record, and the model learns the row
 *   transformed with the updated statistics (one more transform pass).
 * - `'learnThenPredict'` (what a transform piped as a stage does): the transforms learn the
 *   record first, and the model predicts and learns on that one row (one pass, but the
 *   prediction has seen the record's own statistics).
 */
export type ComposeOrder = 'predictThenLearn' | 'learnThenPredict';

/** Snapshot of a composed model: plain JSON in a learner snapshot's shape, for model stores. */
export interface ComposedSnapshot {
  /** Always `'compose'`; `restore` checks it. */
  readonly type: 'compose';
  /** Format version, 1; `restore` checks it. */
  readonly version: 1;
  /** Describes the composed model (not read by `restore`). */
  readonly options: {
    /** Column names of the model's input when the snapshot was taken. */
    readonly names: readonly string[];
  };
  /** What `restore` adopts. */
  readonly state: {
    /** The transforms' state: the chain's {@link VectorizerSnapshot}. */
    readonly steps: unknown;
    /** What the model's own `snapshot()` returned. */
    readonly model: unknown;
  };
}

/** Options of {@link Composed.stage}. */
export interface ComposeStageOptions<I, Y, P, O, M = VectorModel<Y, P, unknown>> {
  /** Step name; default 'compose'. */
  readonly name?: string;
  /** The record to vectorize; default the stage input. */
  readonly select?: (value: I) => object;
  /** The label; `undefined` (or no `label`) predicts without learning (counted `unlabelled`). */
  readonly label?: (value: I) => Y | undefined;
  /** Sample weight; default 1. */
  readonly weight?: (value: I) => number;
  /** The stage output from the input and the prediction made before learning. */
  readonly output: (value: I, prediction: P) => O;
  /** Default `'predictThenLearn'`. */
  readonly order?: ComposeOrder;
  /** What to predict; default `model.predict(x)` (e.g. `(m, x) => m.predictProba(x)`). */
  readonly predict?: (model: M, x: Float64Array) => P;
}

/** A transform chain and a model as one value (River's `scaler | model`). */
export interface Composed<Y, P, Q, M = VectorModel<Y, P, Q>> {
  /** Always `'compose'`. */
  readonly type: 'compose';
  /** The model's kind (e.g. `'binary'`), so evaluators pick metrics. */
  readonly kind: string | undefined;
  /** The model (e.g. for `linearWeights()`; indices follow `names()`). */
  readonly model: M;
  /** The transforms on their reused row. */
  readonly features: Vectorizer;
  /** Column names of the model's input. */
  names(): readonly string[];
  /** Predicts with the current statistics; changes nothing. */
  predict(value: object): P;
  /** The model's `predictProba` on the transformed row (throws INVALID_OPTION if it has none). */
  predictProba(value: object): Q;
  /** Each transform learns the record, then the model learns the row they give (River's order). */
  learn(value: object, y: Y, weight?: number): void;
  /**
   * Test-then-train in one call: the prediction made before learning, then learning when `y` is
   * not `undefined`. Decodes the record once.
   */
  predictLearn(
    value: object,
    y: Y | undefined,
    options?: { readonly weight?: number; readonly order?: ComposeOrder },
  ): P;
  /** The transforms' and the model's state, as plain JSON. */
  snapshot(): ComposedSnapshot;
  /** Restores the transforms and the model, or throws and changes neither. */
  restore(snapshot: unknown): void;
  /** Fresh and untrained, with the same transforms and a clone of the model. */
  clone(): Composed<Y, P, Q, M>;
  /** A pipeline stage that predicts, learns labelled records and outputs `output(value, p)`. */
  stage<I, O, R = P>(options: ComposeStageOptions<I, Y, R, O, M>): StageObject<I, O>;
}

type LabelOf<M> = M extends { learn(x: Float64Array, y: infer Y, ...rest: never[]): void }
  ? Y
  : never;
type PredictionOf<M> = M extends { predict(x: Float64Array): infer P } ? P : never;
type ProbaOf<M> = M extends { predictProba(x: Float64Array, ...rest: never[]): infer Q }
  ? Q
  : never;

/**
 * Composes transforms and a model into one value: `compose(inputColumns([...]),
 * standardScaler(), oneHotEncoder({ fields, categories }), logisticRegression())`. Records are
 * decoded into one reused `Float64Array` row and transformed in place (see `vectorize`); the
 * model sees the row. Usable directly (backtests, notebooks), with monitor's `prequential`
 * (it fits its model contract), or as a stage (`.stage({ label, output })`).
 */
export function compose<M extends VectorModel<never, unknown, unknown>>(
  ...stepsAndModel: [...RowStep[], M]
): Composed<LabelOf<M>, PredictionOf<M>, ProbaOf<M>, M> {
  const model = stepsAndModel[stepsAndModel.length - 1] as M;
  const steps = stepsAndModel.slice(0, -1) as RowStep[];
  if (
    typeof model?.predict !== 'function' ||
    typeof model.learn !== 'function' ||
    typeof model.clone !== 'function'
  ) {
    throw invalidOption('model', 'a model last (predict, learn, snapshot, restore, clone)', model);
  }
  return build(steps, model) as never;
}

function build<Y, P, Q, M extends VectorModel<Y, P, Q>>(
  steps: readonly RowStep[],
  model: M,
): Composed<Y, P, Q, M> {
  const features = vectorize(steps);
  const noProba = () =>
    invalidOption('model', 'a model with predictProba', (model as { type?: unknown }).type);

  const self: Composed<Y, P, Q, M> = {
    type: 'compose',
    kind: model.kind,
    model,
    features,
    names: () => features.names(),
    predict: (value) => model.predict(features.transform(value)),
    predictProba(value) {
      if (typeof model.predictProba !== 'function') throw noProba();
      return model.predictProba(features.transform(value));
    },
    learn(value, y, weight) {
      model.learn(features.learn(value), y, weight);
    },
    predictLearn(value, y, options = {}) {
      const order = options.order ?? 'predictThenLearn';
      if (order === 'learnThenPredict') {
        if (y === undefined) return model.predict(features.transform(value));
        const x = features.learn(value);
        const p = model.predict(x);
        model.learn(x, y, options.weight);
        return p;
      }
      const p = model.predict(features.transformAndKeep(value));
      if (y !== undefined) model.learn(features.learnDecoded(value), y, options.weight);
      return p;
    },
    snapshot: () => ({
      type: 'compose',
      version: 1,
      options: { names: features.names() },
      state: { steps: features.snapshot(), model: model.snapshot() as never },
    }),
    restore(snapshot) {
      const s = snapshot as Partial<ComposedSnapshot> | null;
      if (!isPlainObject(s) || s.type !== 'compose' || s.version !== 1 || !isPlainObject(s.state)) {
        throw new TributaryError(
          'FEATURE_SNAPSHOT_INVALID',
          "compose.restore(): expected { type: 'compose', version: 1, state }",
          { details: { got: typeof snapshot } },
        );
      }
      // Try both on a fresh copy first, so a bad half leaves this model unchanged.
      const trial = build(steps, model.clone() as M);
      trial.features.restore(s.state.steps);
      trial.model.restore(s.state.model);
      features.restore(s.state.steps);
      model.restore(s.state.model);
    },
    clone: () => build(steps, model.clone() as M),
    stage<I, O, R = P>(options: ComposeStageOptions<I, Y, R, O, M>): StageObject<I, O> {
      const { label, weight, output } = options;
      const select = options.select ?? ((v: I) => v as object);
      const order = options.order ?? 'predictThenLearn';
      if (order !== 'predictThenLearn' && order !== 'learnThenPredict') {
        throw invalidOption('order', "'predictThenLearn' or 'learnThenPredict'", order);
      }
      const predict = options.predict;
      const viaPredict = (value: I, y: Y | undefined, w: number): R => {
        if (predict === undefined) {
          return self.predictLearn(select(value), y, { weight: w, order }) as unknown as R;
        }
        // A custom prediction (e.g. a probability) on the same row, then the same learning.
        const rec = select(value);
        if (order === 'learnThenPredict' && y !== undefined) {
          const x = features.learn(rec);
          const p = predict(model, x);
          model.learn(x, y, w);
          return p;
        }
        const p = predict(model, features.transformAndKeep(rec));
        if (y !== undefined) model.learn(features.learnDecoded(rec), y, w);
        return p;
      };
      return {
        name: options.name ?? 'compose',
        process(value, ctx) {
          const y = label?.(value);
          const p = viaPredict(value, y, weight === undefined ? 1 : weight(value));
          ctx.count(y === undefined ? 'unlabelled' : 'learned');
          return output(value, p);
        },
        snapshot: () => self.snapshot(),
        restore: (snapshot) => self.restore(snapshot),
      };
    },
  };
  return self;
}
