import { errorMessage, modelSubscribers, TributaryError } from '@tributary/core';
import { integer } from './internal/checks.js';
import type { JsonValue, LearnerSnapshot } from './learner.js';
import type { ModelStore, ModelVersion } from './modelStore.js';

/** Options of {@link memoryModelStore}. */
export interface MemoryModelStoreOptions {
  /** Versions kept per name (older ones are dropped); default: all. */
  readonly keep?: number;
  /** Clock for `savedAt`; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A model store in process memory: versions are deep copies, so neither the saver nor a
 * loader can change a stored version afterwards. Listeners run synchronously within `save`.
 */
export function memoryModelStore(options: MemoryModelStoreOptions = {}): ModelStore {
  const keep =
    options.keep === undefined ? Number.POSITIVE_INFINITY : integer('keep', options.keep, 1);
  const now = options.now ?? Date.now;
  const models = new Map<string, { next: number; versions: ModelVersion[] }>();
  const subscribers = modelSubscribers();

  return {
    async save(name: string, snapshot: LearnerSnapshot, metadata = {}) {
      let entry = models.get(name);
      if (entry === undefined) {
        entry = { next: 1, versions: [] };
        models.set(name, entry);
      }
      const model: ModelVersion = {
        name,
        version: entry.next,
        snapshot: structuredClone(snapshot),
        savedAt: now(),
        metadata: structuredClone(metadata) as { readonly [key: string]: JsonValue },
      };
      entry.next += 1;
      entry.versions.push(model);
      if (entry.versions.length > keep) entry.versions.splice(0, entry.versions.length - keep);
      const failures = subscribers.notify(model).map(errorMessage);
      if (failures.length > 0) {
        // The version is saved; say so, but do not hide that a subscriber failed.
        throw new TributaryError(
          'LEARN_STORE_LISTENER_FAILED',
          `Saved ${name} v${model.version}, but ${failures.length} subscriber(s) failed: ${failures[0]}`,
          { details: { name, version: model.version, failures } },
        );
      }
      return copy(model);
    },

    async load(name: string, version?: number) {
      const versions = models.get(name)?.versions ?? [];
      const found =
        version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
      return found === undefined ? undefined : copy(found);
    },

    async versions(name: string) {
      return (models.get(name)?.versions ?? []).map((v) => v.version);
    },

    subscribe(name: string, listener: (model: ModelVersion) => void) {
      return subscribers.add(name, listener);
    },
  };
}

function copy(model: ModelVersion): ModelVersion {
  return structuredClone(model);
}
