import type { LearnerSnapshot } from '../learner.js';
import type { ModelDelta } from '../mergeable.js';
import { learnError } from './errors.js';
import {
  addParts,
  diffParts,
  mergeParts,
  type Parts,
  partsFromJson,
  partsToJson,
} from './parts.js';
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

  /**
   * The state as combinable arrays, for merging (docs/scaling-out.md); `undefined` (the
   * default) for learners without a merge rule.
   */
  protected toParts(): Parts | undefined {
    return undefined;
  }

  /** Adopts merged arrays (same layout as `toParts`). */
  protected fromParts(_parts: Parts): void {}

  /** Reorders `other`'s parts to line up with `own` (k-means matches centres); default as is. */
  protected alignParts(_own: Parts, other: Parts): Parts {
    return other;
  }

  /** Whether this learner has a merge rule. */
  mergeable(): boolean {
    return this.toParts() !== undefined;
  }

  private ownParts(): Parts {
    const p = this.toParts();
    if (p === undefined) {
      throw learnError(
        'LEARN_NOT_MERGEABLE',
        `${this.type} has no merge rule: keep one model per worker (e.g. an ensemble of worker models) instead`,
        { type: this.type },
      );
    }
    return p;
  }

  /** Options as in a snapshot, without the seed (workers may explore differently). */
  private optionsKey(options: object): string {
    const { seed: _seed, ...rest } = makeSnapshot(this.type, options, {}).options;
    return JSON.stringify(rest);
  }

  private sameOptions(options: object): void {
    if (this.optionsKey(options) !== this.optionsKey(this.options)) {
      throw learnError('LEARN_BAD_SNAPSHOT', `Cannot merge ${this.type}s with other options`, {
        expected: this.options,
        got: options,
      });
    }
  }

  /** The parts of a snapshot of a model like this one. */
  private peerParts(snapshot: LearnerSnapshot): Parts {
    const peer = this.create(this.options);
    peer.restore(snapshot);
    this.sameOptions(peer.options);
    return peer.ownParts();
  }

  merge(peers: readonly LearnerSnapshot[], weights?: readonly number[]): void {
    const own = this.ownParts();
    const all = [own, ...peers.map((s) => this.alignParts(own, this.peerParts(s)))];
    if (weights !== undefined && weights.length !== all.length) {
      throw learnError(
        'LEARN_BAD_SNAPSHOT',
        `merge: ${weights.length} weights for ${all.length} models (this one first)`,
        { weights: weights.length, models: all.length },
      );
    }
    for (const w of weights ?? []) {
      if (!(Number.isFinite(w) && w >= 0)) {
        throw learnError('LEARN_NON_FINITE', `merge: weight ${w} is not finite and >= 0`, { w });
      }
    }
    this.fromParts(mergeParts(all, weights ?? all.map((p) => p.records)));
  }

  delta(base: LearnerSnapshot): ModelDelta {
    const d = diffParts(this.ownParts(), this.peerParts(base));
    const { options } = makeSnapshot(this.type, this.options, {});
    return { type: this.type, version: 1, options, ...partsToJson(d) } as ModelDelta;
  }

  applyDelta(delta: ModelDelta, stepScale = 1): void {
    const own = this.ownParts();
    if (delta?.type !== this.type) {
      throw learnError(
        'LEARN_BAD_SNAPSHOT',
        `Delta of type ${JSON.stringify(delta?.type)} cannot update a ${this.type}`,
        { expected: this.type, got: delta?.type },
      );
    }
    this.sameOptions(delta.options);
    if (!(Number.isFinite(stepScale) && stepScale >= 0)) {
      throw learnError(
        'LEARN_NON_FINITE',
        `applyDelta: stepScale ${stepScale} is not finite and >= 0`,
        {
          stepScale,
        },
      );
    }
    this.fromParts(addParts(own, this.alignParts(own, partsFromJson(delta)), stepScale));
  }
}
