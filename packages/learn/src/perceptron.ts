import { checkBoolean, checkWeight, integer, positive } from './internal/checks.js';
import { MarginClassifier } from './internal/marginClassifier.js';
import type { LinearClassifier } from './linearModel.js';
import { sgd } from './optimizer.js';

/** Options of {@link perceptron}. */
export interface PerceptronOptions {
  /** Step size of each correction (weights and intercept); default 1. */
  readonly lr?: number;
  /** Number of features; default: the length of the first vector. */
  readonly features?: number;
}

interface Resolved {
  readonly lr: number;
  readonly features?: number;
}

function resolve(o: PerceptronOptions): Resolved {
  return {
    lr: positive('lr', o.lr ?? 1),
    ...(o.features === undefined ? {} : { features: integer('features', o.features, 1) }),
  };
}

/**
 * Rosenblatt's perceptron: on a mistake, w += lr·y·x and b += lr·y (y in ±1).
 * `predictProba` is the sigmoid of the margin, a score rather than a calibrated probability.
 */
export function perceptron(options: PerceptronOptions = {}): LinearClassifier {
  return new Perceptron(resolve(options));
}

class Perceptron extends MarginClassifier<Resolved> implements LinearClassifier {
  readonly type = 'perceptron';

  constructor(options: Resolved) {
    super(
      options,
      { optimizer: sgd(options.lr), l1: 0, l2: 0, interceptLr: options.lr },
      options.features,
    );
  }

  learn(x: Float64Array, y: boolean, weight = 1): void {
    checkBoolean(y);
    checkWeight(weight);
    const sign = y ? 1 : -1;
    // Hinge loss at threshold 0: gradient -y on a mistake (margin <= 0), else nothing.
    if (sign * this.learnRaw(x) <= 0) this.core.step(x, -sign * weight);
  }

  protected create(options: unknown): this {
    return new Perceptron(resolve(options as PerceptronOptions)) as this;
  }
}
