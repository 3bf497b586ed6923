import { invalidOption } from '@tributary/core';
import { checkBoolean } from './internal/checks.js';
import { learnError } from './internal/errors.js';
import { makeSnapshot, obj, openSnapshot } from './internal/snapshot.js';
import type { BinaryClassifier, LearnerSnapshot, MulticlassClassifier } from './learner.js';

/** Options of {@link asBinary}. */
export interface AsBinaryOptions {
  /** Class id of `true`; default 1. */
  readonly positive?: number;
  /** Class id of `false`; default 0. */
  readonly negative?: number;
}

/**
 * Views a multiclass classifier (e.g. `hoeffdingTree()`) as a binary one: `true` is class
 * `positive`, `false` is class `negative`. Learning goes to the wrapped model, which is shared.
 */
export function asBinary(
  model: MulticlassClassifier,
  options: AsBinaryOptions = {},
): BinaryClassifier {
  const positive = options.positive ?? 1;
  const negative = options.negative ?? 0;
  if (!Number.isInteger(positive) || positive < 0) {
    throw invalidOption('positive', 'an integer >= 0', positive);
  }
  if (!Number.isInteger(negative) || negative < 0 || negative === positive) {
    throw invalidOption('negative', 'an integer >= 0 other than `positive`', negative);
  }
  return new AsBinary(model, positive, negative);
}

class AsBinary implements BinaryClassifier {
  readonly kind = 'binary' as const;
  readonly type = 'asBinary';
  private buf = new Float64Array(2);

  constructor(
    private model: MulticlassClassifier,
    private readonly positive: number,
    private readonly negative: number,
  ) {}

  predictProba(x: Float64Array): number {
    if (this.buf.length < this.model.classes) this.buf = new Float64Array(this.model.classes);
    const p = this.model.predictProba(x, this.buf);
    const pos = this.positive < this.model.classes ? p[this.positive]! : 0;
    const neg = this.negative < this.model.classes ? p[this.negative]! : 0;
    return pos + neg > 0 ? pos / (pos + neg) : 0.5;
  }

  predict(x: Float64Array): boolean {
    return this.model.predict(x) === this.positive;
  }

  learn(x: Float64Array, y: boolean, weight?: number): void {
    checkBoolean(y);
    this.model.learn(x, y ? this.positive : this.negative, weight);
  }

  snapshot(): LearnerSnapshot {
    return makeSnapshot(
      this.type,
      { positive: this.positive, negative: this.negative },
      { model: this.model.snapshot() },
    );
  }

  restore(snapshot: LearnerSnapshot): void {
    const { options, state } = openSnapshot(snapshot, this.type);
    if (options.positive !== this.positive || options.negative !== this.negative) {
      throw learnError(
        'LEARN_BAD_SNAPSHOT',
        `asBinary snapshot is for classes ${String(options.positive)}/${String(options.negative)}, this view uses ${this.positive}/${this.negative}`,
        { positive: options.positive, negative: options.negative },
      );
    }
    this.model.restore(obj(state, 'model') as unknown as LearnerSnapshot);
  }

  clone(): BinaryClassifier {
    return new AsBinary(this.model.clone(), this.positive, this.negative);
  }
}
