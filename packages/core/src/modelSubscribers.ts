import type { ModelVersion } from './modelStore.js';

/** A listener of one model name, as {@link ModelStore.subscribe} takes it. */
export type ModelListener = (model: ModelVersion) => void;

/** The subscribers of a {@link ModelStore}, per model name: what its `subscribe` and `save` share. */
export interface ModelSubscribers {
  /** Adds a listener of `name`; returns its unsubscribe. */
  add(name: string, listener: ModelListener): () => void;
  /**
   * Hands every listener of `model.name` its own copy, in subscription order, all of them even
   * when one throws; returns what they threw (empty when none did).
   */
  notify(model: ModelVersion): unknown[];
  /** Forgets every listener. */
  clear(): void;
}

/**
 * The subscriber fan-out of a model store (the memory one and the Kafka one use it; so can a
 * store of your own). `onRejected` hears a listener whose returned promise rejects; without it,
 * such a rejection is the listener's own to handle.
 */
export function modelSubscribers(
  onRejected?: (model: ModelVersion, error: unknown) => void,
): ModelSubscribers {
  const byName = new Map<string, Set<ModelListener>>();
  return {
    add(name, listener) {
      let set = byName.get(name);
      if (set === undefined) {
        set = new Set();
        byName.set(name, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    notify(model) {
      const thrown: unknown[] = [];
      for (const listener of byName.get(model.name) ?? []) {
        try {
          const result: unknown = listener(structuredClone(model));
          if (onRejected !== undefined && result instanceof Promise) {
            result.catch((error: unknown) => onRejected(model, error));
          }
        } catch (error) {
          thrown.push(error);
        }
      }
      return thrown;
    },
    clear() {
      byName.clear();
    },
  };
}
