import { checkBoolean, checkWeight } from './internal/checks.js';
import { clip, sigmoid } from './internal/linearCore.js';
import { MarginClassifier } from './internal/marginClassifier.js';
import {
  type LinearClassifier,
  type LinearModelOptions,
  type ResolvedLinearOptions,
  resolveLinearOptions,
} from './linearModel.js';

/**
 * Binary logistic regression trained online on log loss with SGD, AdaGrad or Adam and L1/L2
 * penalties. Defaults match River's `LogisticRegression` (SGD 0.01, intercept rate 0.01).
 */
export function logisticRegression(options: LinearModelOptions = {}): LinearClassifier {
  return new LogisticRegressionImpl(resolveLinearOptions(options));
}

class LogisticRegressionImpl
  extends MarginClassifier<ResolvedLinearOptions>
  implements LinearClassifier
{
  readonly type = 'logisticRegression';

  constructor(options: ResolvedLinearOptions) {
    super(options, options, options.features);
  }

  learn(x: Float64Array, y: boolean, weight = 1): void {
    checkBoolean(y);
    checkWeight(weight);
    const p = sigmoid(this.learnRaw(x));
    // d(log loss)/d(raw) = p - y.
    this.core.step(x, clip((p - (y ? 1 : 0)) * weight, this.options.clipGradient));
  }

  protected create(options: unknown): this {
    return new LogisticRegressionImpl(resolveLinearOptions(options as LinearModelOptions)) as this;
  }
}
