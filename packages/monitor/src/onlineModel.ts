/**
 * What the evaluation stage needs from a model. `@tributary/learn`'s `Learner`s fit it
 * structurally (binary classifiers' `predictProba` gives P(true)), as can any other model.
 * `Q` is what `predictProba` returns; predictions carry it as their `probability`.
 */
export interface OnlineModel<X, Y, P, Q = unknown> {
  /** `'regressor'` makes the default drift signal the absolute error instead of the 0/1 error. */
  readonly kind?: string;
  /** Predicts for one input; must not change the model. */
  predict(x: X): P;
  /**
   * Probabilities behind `predict`; probability metrics (ROC/PR AUC, log loss) need it to give
   * the positive class's probability as a number.
   */
  predictProba?(x: X): Q;
  /** Updates the model with one labelled input. */
  learn(x: X, y: Y, weight?: number): void;
  /** A fresh, untrained copy with the same options (used by `onDrift: 'reset'`). */
  clone?(): OnlineModel<X, Y, P, Q>;
  /** The model as plain data; the stage's snapshot carries it. */
  snapshot?(): unknown;
  /** Adopts what `snapshot` returned. */
  restore?(snapshot: unknown): void;
}
