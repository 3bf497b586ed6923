import type { StageObject } from '@tributary/core';
import type { Learner } from './learner.js';

/** Options of {@link predictWith}. */
export interface PredictWithOptions<I, O, L, P> {
  /** Stage name in metrics and dead-letter headers; default 'predict'. */
  readonly name?: string;
  /** The feature vector of a value (e.g. the features package's assembler output). */
  readonly features: (value: I) => Float64Array;
  /** What to compute; default `model.predict(x)` (e.g. pass `(m, x) => m.predictProba(x)`). */
  readonly predict?: (model: L, x: Float64Array) => P;
  /** The stage's output from the value and the prediction. */
  readonly output: (value: I, prediction: P) => O;
}

/**
 * Options of {@link predictStage}.
 * @deprecated Renamed to {@link PredictWithOptions}.
 */
export type PredictStageOptions<I, O, L, P> = PredictWithOptions<I, O, L, P>;

/**
 * A stage that predicts with `learner` and never changes it. Invalid vectors throw a
 * TributaryError (LEARN_DIMENSION_MISMATCH / LEARN_NON_FINITE) for the error policy to handle.
 */
export function predictWith<I, O, L extends Learner<never, unknown>, P = ReturnType<L['predict']>>(
  learner: L,
  options: PredictWithOptions<I, O, L, P>,
): StageObject<I, O> {
  const { features, output } = options;
  const predict = options.predict ?? ((m: L, x: Float64Array) => m.predict(x) as P);
  return {
    name: options.name ?? 'predict',
    process: (value) => output(value, predict(learner, features(value))),
  };
}

/**
 * The stage that predicts with a learner it never changes.
 * @deprecated Renamed to {@link predictWith} (stage factories carry no `Stage` suffix).
 */
export const predictStage: typeof predictWith = predictWith;
