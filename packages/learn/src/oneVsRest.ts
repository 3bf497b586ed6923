import { checkClass, checkVector, checkWeight } from './internal/checks.js';
import { argmax, probaBuffer } from './internal/multiclass.js';
import { arr, makeSnapshot, obj, openSnapshot } from './internal/snapshot.js';
import type { BinaryClassifier, LearnerSnapshot, MulticlassClassifier } from './learner.js';

/**
 * One-vs-rest: one binary classifier per class (a clone of `base`, created when the class first
 * appears) learns "this class or not"; probabilities are the binary ones, normalised.
 */
export function oneVsRest(base: BinaryClassifier): MulticlassClassifier {
  return new OneVsRest(base.clone());
}

class OneVsRest implements MulticlassClassifier {
  readonly kind = 'multiclass' as const;
  readonly type = 'oneVsRest';
  private models: BinaryClassifier[] = [];
  private dim = -1;
  private scratch = new Float64Array(0);

  constructor(private template: BinaryClassifier) {}

  get classes(): number {
    return this.models.length;
  }

  learn(x: Float64Array, y: number, weight = 1): void {
    this.dim = checkVector(x, this.dim);
    checkClass(y);
    checkWeight(weight);
    while (this.models.length <= y) this.models.push(this.template.clone());
    for (let c = 0; c < this.models.length; c++) this.models[c]!.learn(x, c === y, weight);
  }

  predictProba(x: Float64Array, out?: Float64Array): Float64Array {
    checkVector(x, this.dim);
    const k = this.models.length;
    const p = probaBuffer(out, k);
    let z = 0;
    for (let c = 0; c < k; c++) {
      p[c] = this.models[c]!.predictProba(x);
      z += p[c]!;
    }
    if (z > 0) for (let c = 0; c < k; c++) p[c] = p[c]! / z;
    return p;
  }

  predict(x: Float64Array): number {
    if (this.scratch.length < this.classes) this.scratch = new Float64Array(this.classes);
    return argmax(this.predictProba(x, this.scratch), this.classes);
  }

  snapshot(): LearnerSnapshot {
    return makeSnapshot(
      this.type,
      { base: this.template.snapshot() },
      { dim: this.dim, models: this.models.map((m) => m.snapshot()) },
    );
  }

  restore(snapshot: LearnerSnapshot): void {
    const { options, state } = openSnapshot(snapshot, this.type);
    const template = this.template.clone();
    template.restore(obj(options, 'base') as unknown as LearnerSnapshot);
    const models = arr(state, 'models').map((s) => {
      const m = template.clone();
      m.restore(s as unknown as LearnerSnapshot);
      return m;
    });
    this.template = template;
    this.models = models;
    this.dim = typeof state.dim === 'number' ? state.dim : -1;
  }

  clone(): MulticlassClassifier {
    return new OneVsRest(this.template.clone());
  }
}
