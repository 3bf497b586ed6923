import type { LearnerSnapshot } from '../learner.js';
import { type JsonObject, makeSnapshot, openSnapshot } from './snapshot.js';

/**
 * Snapshot/restore/clone plumbing shared by the learners. `restore` builds a complete new
 * instance from the snapshot first and only then adopts it, so a bad snapshot leaves the
 * learner unchanged.
 */
export abstract class Base<O extends object> {
  abstract readonly type: string;

  constructor(readonly options: O) {}

  /** A fresh instance for (unvalidated) options, e.g. read from a snapshot. */
  protected abstract create(options: unknown): this;
  /** The fitted state as JSON. */
  protected abstract exportState(): JsonObject;
  /** Loads `exportState()` output into a fresh instance. */
  protected abstract importState(state: JsonObject): void;

  snapshot(): LearnerSnapshot {
    return makeSnapshot(this.type, this.options, this.exportState());
  }

  restore(snapshot: LearnerSnapshot): void {
    const { options, state } = openSnapshot(snapshot, this.type);
    const next = this.create(options);
    next.importState(state);
    Object.assign(this, next);
  }

  clone(): this {
    return this.create(this.options);
  }
}
