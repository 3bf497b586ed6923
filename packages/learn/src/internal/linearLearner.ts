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

  /** w·x + b after checking x; before the dimension is fixed the weights are all 0. */
  protected raw(x: Float64Array): number {
    checkVector(x, this.core.dim);
    return this.core.dim < 0 ? this.core.bias : this.core.raw(x);
  }

  /** Fixes the dimension from the first vector learned (predicting never does). */
  protected sized(x: Float64Array): void {
    if (this.core.dim < 0) this.core.init(checkVector(x, -1));
    this.core.records += 1;
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
