import type { StageObject } from '@tributary/core';
import {
  adagrad,
  type BinaryClassifier,
  ftrlProximal,
  logisticRegression,
  type ModelStore,
  serveModel,
} from '@tributary/learn';
import type { Anomalous } from './anomalyScore.js';
import type { PrecisionThreshold } from './precisionThreshold.js';

/** Name of the classifier in the model store. */
export const MODEL_NAME = 'fraud-classifier';

/** A transaction scored by the served model, with the alert decision. */
export interface Alerted extends Anomalous {
  /** Fraud probability from the served model version. */
  readonly score: number;
  readonly modelVersion: number;
  readonly threshold: number;
  readonly alert: boolean;
}

/**
 * The supervised classifier: logistic regression (AdaGrad, step 0.05; 0.2 ranked slightly better
 * offline but its saturated scores doubled false alerts in the flow, see docs/benchmarks.md) or
 * FTRL-Proximal.
 */
export function classifier(kind: 'logistic' | 'ftrl'): BinaryClassifier {
  return kind === 'ftrl'
    ? ftrlProximal({ alpha: 0.1, beta: 1, l1: 0.01, l2: 0.01 })
    : logisticRegression({ optimizer: adagrad(0.05), interceptLr: 0.05, l2: 1e-5 });
}

/**
 * Serving: @tributary/learn's `serveModel` scores with the latest version of the classifier in
 * the model store and hot-swaps to each new version between two records while the flow runs;
 * the version in use goes with every score. Before the first version, the untrained classifier
 * scores (version 0). The alert decision compares the score with the online threshold.
 */
export function serving(
  store: ModelStore,
  template: BinaryClassifier,
  threshold: PrecisionThreshold,
): StageObject<Anomalous, Alerted> & { readonly version: number | undefined } {
  return serveModel({
    name: 'serve',
    store,
    model: MODEL_NAME,
    learner: template,
    features: (v: Anomalous) => v.x,
    predict: (m, x) => m.predictProba(x),
    output: (v: Anomalous, score: number, modelVersion: number) => {
      const t = threshold.current();
      // Field by field, not `{ ...v, … }` (a slow path of V8's object spread).
      const out: Alerted = {
        kind: v.kind,
        tx: v.tx,
        features: v.features,
        x: v.x,
        anomaly: v.anomaly,
        score,
        modelVersion,
        threshold: t,
        alert: score >= t,
      };
      return out;
    },
    untrained: 'predict',
  });
}
