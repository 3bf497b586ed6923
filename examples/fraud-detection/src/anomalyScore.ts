import type { StageObject } from '@tributary/core';
import { halfSpaceTrees } from '@tributary/learn';
import type { Featured } from './features.js';

/** A transaction with its anomaly score; `x` now ends with the score (the classifier's input). */
export interface Anomalous extends Featured {
  /** Half-Space Trees anomaly score in [0, 1], higher is stranger. */
  readonly anomaly: number;
}

/**
 * Unsupervised anomaly scoring with Half-Space Trees (@tributary/learn): each transaction is
 * scored, then learnt, so the score needs no labels and is there from the first record. The
 * scaled features are z-scores, so the trees cover [-3, 3] per feature. The score is appended to
 * the vector: the supervised classifier learns how much to trust it.
 */
export function anomalyScore(
  features: number,
  seed = 42,
): StageObject<Featured, Anomalous> & {
  readonly model: ReturnType<typeof halfSpaceTrees>;
} {
  const model = halfSpaceTrees({
    trees: 15,
    height: 8,
    windowSize: 250,
    seed,
    limits: Array.from({ length: features }, () => [-3, 3] as const),
  });
  const clipped = new Float64Array(features);
  return {
    name: 'anomaly',
    model,
    process(v) {
      for (let i = 0; i < features; i++) clipped[i] = Math.max(-3, Math.min(3, v.x[i] as number));
      const anomaly = model.predict(clipped);
      model.learn(clipped);
      const x = new Float64Array(features + 1);
      x.set(v.x);
      x[features] = anomaly;
      return { kind: v.kind, tx: v.tx, features: v.features, x, anomaly };
    },
    snapshot: () => model.snapshot(),
  };
}
