import type { BinaryClassifier } from '../learner.js';
import { sigmoid } from './linearCore.js';
import { LinearLearner } from './linearLearner.js';

/** A linear binary classifier: true when w·x + b > 0, probability sigmoid(w·x + b). */
export abstract class MarginClassifier<O extends object>
  extends LinearLearner<O>
  implements Pick<BinaryClassifier, 'kind' | 'predict' | 'predictProba'>
{
  readonly kind = 'binary' as const;

  predictProba(x: Float64Array): number {
    return sigmoid(this.raw(x));
  }

  predict(x: Float64Array): boolean {
    return this.raw(x) > 0;
  }
}
