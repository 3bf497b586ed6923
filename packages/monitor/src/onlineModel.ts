/**
 * What the evaluation stage needs from a model. `@tributary/learn`'s `Learner`s fit it
 * structurally (binary classifiers' `predictProba` gives P(true)), as can any other model.
 */
export interface OnlineModel<X, Y, P> {
  /** `'regressor'` makes the default drift signal the absolute error instead of the 0/1 error. */
  readonly kind?: string;
  predict(x: X): P;
  /** Probability of the positive class, needed by probability metrics (ROC/PR AUC, log loss). */
  predictProba?(x: X): unknown;
  learn(x: X, y: Y, weight?: number): void;
  /** A fresh, untrained copy with the same options (used by `onDrift: 'reset'`). */
  clone?(): OnlineModel<X, Y, P>;
  snapshot?(): unknown;
  restore?(snapshot: unknown): void;
}
