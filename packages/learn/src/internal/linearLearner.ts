import type { LinearWeights, ResolvedLinearOptions } from '../linearModel.js';
import { Base } from './base.js';
import { checkVector } from './checks.js';
import { LinearCore } from './linearCore.js';
import type { Parts } from './parts.js';
import type { JsonObject } from './snapshot.js';

/** Base of the learners whose model is a {@link LinearCore}: dimension, snapshot and weights. */
export abstract class LinearLearner<O extends object> extends Base<O> {
  protected core: LinearCore;

  constructor(
    options: O,
    linear: Pick<ResolvedLinearOptions, 'optimizer' | 'l1' | 'l2' | 'interceptLr'>,
    features: number | undefined,
  ) {
    super(options);
    this.core = new LinearCore(linear.optimizer, linear.l1, linear.l2, linear.interceptLr);
    if (features !== undefined) this.core.init(features);
  }

  /**
   * w·x + b after checking x; before the dimension is fixed the weights are all 0. A non-finite
   * value in x makes the sum non-finite (0·∞ is NaN), so x is scanned only then.
   */
  protected raw(x: Float64Array): number {
    const dim = this.core.dim;
    if (dim < 0 || !(x instanceof Float64Array) || x.length !== dim) {
      checkVector(x, dim);
      return this.core.bias;
    }
    const s = this.core.raw(x);
    if (!Number.isFinite(s)) checkVector(x, dim);
    return s;
  }

  /**
   * `raw` for learning: fixes the dimension from the first vector learned (predicting never
   * does) and counts the record once x has passed the checks.
   */
  protected learnRaw(x: Float64Array): number {
    if (this.core.dim < 0) this.core.init(checkVector(x, -1));
    const s = this.raw(x);
    this.core.records += 1;
    return s;
  }

  protected override toParts(): Parts {
    return this.core.toParts();
  }

  protected override fromParts(parts: Parts): void {
    this.core.fromParts(parts);
  }

  /** The weights (a copy) and the intercept. */
  linearWeights(): LinearWeights {
    return { weights: this.core.w.slice(), intercept: this.core.bias };
  }

  protected exportState(): JsonObject {
    return this.core.state();
  }

  protected importState(state: JsonObject): void {
    this.core.setState(state);
  }
}
