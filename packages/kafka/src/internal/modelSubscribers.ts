import type { ModelVersion } from '@tributary/learn';

/** A subscriber of one model name. */
export type ModelListener = (model: ModelVersion) => void;

/**
 * The model store's subscribers, per model name. Each hears its own copy of a version; one
 * that throws or rejects is reported and the others still hear it.
 */
export class ModelSubscribers {
  private readonly byName = new Map<string, Set<ModelListener>>();

  constructor(private readonly report: (model: ModelVersion, error: unknown) => void) {}

  /** Adds a listener of `name`; returns its unsubscribe. */
  add(name: string, listener: ModelListener): () => void {
    let set = this.byName.get(name);
    if (set === undefined) {
      set = new Set();
      this.byName.set(name, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Hands `model` to every listener of its name. */
  notify(model: ModelVersion): void {
    for (const listener of this.byName.get(model.name) ?? []) {
      try {
        const result: unknown = listener(structuredClone(model));
        if (result instanceof Promise) result.catch((error) => this.report(model, error));
      } catch (error) {
        this.report(model, error);
      }
    }
  }

  /** Forgets every listener. */
  clear(): void {
    this.byName.clear();
  }
}
