import type { StageObject } from '@tributary/core';
import type { Learner, LearnerSnapshot } from './learner.js';

/** Options of {@link trainModel}. */
export interface TrainModelOptions<I, Y> {
  /** Stage name in metrics and dead-letter headers; default 'learn'. */
  readonly name?: string;
  /** The feature vector of a value. */
  readonly features: (value: I) => Float64Array;
  /**
   * The label of a value; `undefined` means "no label yet" and the record passes without
   * learning (counted as `unlabelled`). Omit for unsupervised learners.
   */
  readonly label?: (value: I) => Y | undefined;
  /** Sample weight of a value; default 1. */
  readonly weight?: (value: I) => number;
}

/**
 * Options of {@link learnStage}.
 * @deprecated Renamed to {@link TrainModelOptions}.
 */
export type LearnStageOptions<I, Y> = TrainModelOptions<I, Y>;

/**
 * A pass-through stage that trains `learner` on each labelled value. Its `snapshot` and
 * `restore` are the learner's, so pipeline checkpoints carry the model.
 */
export function trainModel<I, Y>(
  learner: Learner<Y, unknown>,
  options: TrainModelOptions<I, Y>,
): StageObject<I, I> {
  const { features, label, weight } = options;
  return {
    name: options.name ?? 'learn',
    process(value, ctx) {
      const x = features(value);
      const w = weight === undefined ? 1 : weight(value);
      if (label === undefined) {
        learner.learn(x, undefined as Y, w);
      } else {
        const y = label(value);
        if (y === undefined) {
          ctx.count('unlabelled');
          return value;
        }
        learner.learn(x, y, w);
      }
      ctx.count('learned');
      return value;
    },
    snapshot: () => learner.snapshot(),
    restore: (snapshot) => learner.restore(snapshot as LearnerSnapshot),
  };
}

/**
 * The stage that trains a learner on each labelled value.
 * @deprecated Renamed to {@link trainModel} (stage factories carry no `Stage` suffix).
 */
export const learnStage: typeof trainModel = trainModel;
