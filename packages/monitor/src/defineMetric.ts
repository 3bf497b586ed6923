import { invalidOption, TributaryError } from '@tributary/core';
import type { Metric, MetricSnapshot } from './metric.js';

/** What a metric implements; state is plain data and `add` takes negative weights to revert. */
export interface MetricImpl<S, Y, P> {
  /** Metric name, in snapshots and exported metrics. */
  readonly name: string;
  /** Whether `p` is the predicted label/value or the predicted probability of the positive class. */
  readonly uses: 'prediction' | 'probability';
  /** Whether a larger value is better (accuracy) or worse (log loss). */
  readonly biggerIsBetter: boolean;
  /** The state before any pair. */
  init(): S;
  /** The state after adding a pair with `weight` (negative: removing it). */
  add(state: S, y: Y, p: P, weight: number): S;
  /** The metric's value in `state`; `NaN` while undefined. */
  value(state: S): number;
  /** True when `state` has the shape of this metric's state. */
  isState(state: unknown): state is S;
  /** The same metric with fresh state. */
  clone(): Metric<Y, P>;
}

/**
 * Builds a {@link Metric} around `impl`: weight checks, `revert` (a negative weight), reset,
 * snapshot and restore, so a metric only says how its plain-data state moves and reads.
 */
export function defineMetric<S, Y, P>(impl: MetricImpl<S, Y, P>): Metric<Y, P> {
  let state = impl.init();
  const weightOf = (w: number | undefined): number => {
    if (w === undefined) return 1;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw invalidOption('weight', 'a finite number >= 0', w);
    }
    return w;
  };
  return {
    name: impl.name,
    uses: impl.uses,
    biggerIsBetter: impl.biggerIsBetter,
    update(y, p, w) {
      state = impl.add(state, y, p, weightOf(w));
    },
    revert(y, p, w) {
      state = impl.add(state, y, p, -weightOf(w));
    },
    get: () => impl.value(state),
    reset() {
      state = impl.init();
    },
    snapshot: (): MetricSnapshot => ({ metric: impl.name, state: structuredClone(state) }),
    restore(snapshot) {
      const s = snapshot as Partial<MetricSnapshot> | null;
      if (typeof s !== 'object' || s === null || s.metric !== impl.name || !impl.isState(s.state)) {
        throw new TributaryError(
          'MONITOR_SNAPSHOT_INVALID',
          `${impl.name}.restore(): not a snapshot of this metric`,
          { details: { metric: impl.name } },
        );
      }
      state = structuredClone(s.state);
    },
    clone: () => impl.clone(),
  };
}
