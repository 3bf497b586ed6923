/** Plain-data state of a metric, for checkpoints. */
export interface MetricSnapshot {
  /** Name of the metric the state belongs to (checked on restore). */
  readonly metric: string;
  /** The metric's own state, as plain JSON-able data. */
  readonly state: unknown;
}

/**
 * An online evaluation metric. `update` adds one (label, prediction) pair; `revert` removes one
 * (so `rolling` can slide a window); `get` is the current value, `NaN` while it is undefined
 * (no data yet, or a 0/0 such as precision with no positive prediction).
 */
export interface Metric<Y, P> {
  /** Metric name, e.g. `accuracy`, in snapshots and exported metrics. */
  readonly name: string;
  /** Whether `p` is the predicted label/value or the predicted probability of the positive class. */
  readonly uses: 'prediction' | 'probability';
  /** Whether a larger value is better (accuracy) or worse (log loss). */
  readonly biggerIsBetter: boolean;
  /** Adds one (label, prediction) pair with `weight` (default 1). */
  update(y: Y, p: P, weight?: number): void;
  /** Removes a pair added before with the same weight. */
  revert(y: Y, p: P, weight?: number): void;
  /** The current value; `NaN` while undefined. */
  get(): number;
  /** Forgets every pair. */
  reset(): void;
  /** The state as plain data, for checkpoints. */
  snapshot(): MetricSnapshot;
  /** Replaces the state; throws MONITOR_SNAPSHOT_INVALID for another metric's data. */
  restore(snapshot: unknown): void;
  /** A fresh metric with the same options. */
  clone(): Metric<Y, P>;
}
