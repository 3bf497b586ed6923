import type { StageObject } from '@tributary/core';
import { integer } from './internal/checks.js';
import type { JsonValue, Learner } from './learner.js';
import type { ModelStore } from './modelStore.js';

/** Options of {@link publishModel}. */
export interface PublishModelOptions {
  /** The store to save versions to. */
  readonly store: ModelStore;
  /** Model name in the store. */
  readonly model: string;
  /** Save a version after this many records; default 1000. */
  readonly every?: number;
  /** Metadata stored with each version (besides `records`, the count so far). */
  readonly metadata?: { readonly [key: string]: JsonValue };
  /** Stage name; default 'publishModel'. */
  readonly name?: string;
}

/**
 * A pass-through stage that saves `learner`'s snapshot to a model store every `every` records
 * and on close (when records came in since the last save), so serving stages elsewhere pick
 * up new versions. The record waits for the save: a failing store fails the record.
 */
export function publishModel<I>(
  learner: Learner<never, unknown>,
  options: PublishModelOptions,
): StageObject<I, I> {
  const every = integer('every', options.every ?? 1000, 1);
  const { store, model } = options;
  let records = 0;
  let sinceSave = 0;
  const save = () =>
    store.save(model, learner.snapshot(), { ...options.metadata, records }).then(() => {
      sinceSave = 0;
    });
  return {
    name: options.name ?? 'publishModel',
    process(value) {
      records += 1;
      sinceSave += 1;
      if (sinceSave < every) return value;
      return save().then(() => value);
    },
    async close() {
      if (sinceSave > 0) await save();
    },
  };
}
