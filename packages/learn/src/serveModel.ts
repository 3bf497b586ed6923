import type { StageObject, StageOpenContext } from '@tributary/core';
import { errorMessage } from '@tributary/core';
import { learnError } from './internal/errors.js';
import type { Learner } from './learner.js';
import type { ModelStore, ModelVersion } from './modelStore.js';

/** Options of {@link serveModel}. */
export interface ServeModelOptions<I, O, L, P> {
  /** Where versions come from. */
  readonly store: ModelStore;
  /** Model name in the store. */
  readonly model: string;
  /** A learner of the served type: each version is restored into a clone of it. */
  readonly learner: L;
  /** The feature vector of a value. */
  readonly features: (value: I) => Float64Array;
  /** What to compute; default `model.predict(x)`. */
  readonly predict?: (model: L, x: Float64Array) => P;
  /** The stage's output from the value, the prediction and the model version that made it. */
  readonly output: (value: I, prediction: P, version: number) => O;
  /**
   * Before any version exists: 'fail' (default) throws LEARN_NO_MODEL for the error policy;
   * 'predict' uses `learner` as given (version 0).
   */
  readonly untrained?: 'fail' | 'predict';
  /** Stage name; default 'serveModel'. */
  readonly name?: string;
}

/** A serving stage; `version` is the model version in use (0 for the untrained learner). */
export interface ServingStage<I, O> extends StageObject<I, O> {
  /** The model version serving now; 0 for the untrained learner, undefined before any. */
  readonly version: number | undefined;
}

/**
 * A stage that predicts with the latest version of a model from a store and swaps to each new
 * version as it is saved, between two records, without stopping the pipeline. A version that
 * fails to restore is logged and skipped; the previous one keeps serving.
 */
export function serveModel<I, O, L extends Learner<never, unknown>, P = ReturnType<L['predict']>>(
  options: ServeModelOptions<I, O, L, P>,
): ServingStage<I, O> {
  const { store, model, features, output } = options;
  const predict = options.predict ?? ((m: L, x: Float64Array) => m.predict(x) as P);
  let current: L | undefined = options.untrained === 'predict' ? options.learner : undefined;
  let version: number | undefined = current === undefined ? undefined : 0;
  let unsubscribe: (() => void) | undefined;
  let log: StageOpenContext['log'] | undefined;

  const adopt = (v: ModelVersion) => {
    if (version !== undefined && v.version <= version) return;
    try {
      const next = options.learner.clone() as L;
      next.restore(v.snapshot);
      current = next;
      version = v.version;
      log?.info('serveModel: now serving', { model, version: v.version });
    } catch (error) {
      log?.error('serveModel: cannot restore model version; keeping the previous one', {
        model,
        version: v.version,
        error: errorMessage(error),
      });
    }
  };

  return {
    name: options.name ?? 'serveModel',
    get version() {
      return version;
    },
    async open(ctx) {
      log = ctx.log;
      // Subscribe first so a version saved while loading is not missed; adopt() ignores older ones.
      unsubscribe = store.subscribe(model, adopt);
      const latest = await store.load(model);
      if (latest !== undefined) adopt(latest);
    },
    process(value) {
      if (current === undefined) {
        throw learnError('LEARN_NO_MODEL', `No version of model "${model}" in the store yet`, {
          model,
        });
      }
      return output(value, predict(current, features(value)), version ?? 0);
    },
    close() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
