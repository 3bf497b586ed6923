import type { StageContext } from '@tributary/core';
import type { DriftEvent } from '../driftEvent.js';
import type { Metric } from '../metric.js';
import type { Evaluation, PrequentialDrift } from '../prequentialOptions.js';
import type { Pending } from './labelJoin.js';
import type { ModelLifecycle } from './modelLifecycle.js';

/** What the evaluator needs from its stage. */
export interface EvaluatorOptions<X, Y, P, Q> {
  readonly name: string;
  readonly lifecycle: ModelLifecycle<X, Y, P, Q>;
  readonly metrics: readonly Metric<Y, never>[];
  readonly drift: PrequentialDrift<X, Y, P, Q> | undefined;
  readonly emitEvaluations: boolean;
  /** Counts a learnt prediction or a drift in the stage's counters and metrics. */
  count(ctx: StageContext, what: 'learned' | 'drifts'): void;
}

/**
 * Scores one labelled prediction: the model learns it, the metrics and the drift detector see
 * it, and a detected drift becomes a {@link DriftEvent} (after the model's drift action).
 */
export class Evaluator<X, Y, P, Q> {
  private readonly signal: (label: Y, prediction: P) => number;

  constructor(private readonly options: EvaluatorOptions<X, Y, P, Q>) {
    const { lifecycle } = options;
    this.signal =
      options.drift?.signal ??
      ((y: Y, p: P): number =>
        lifecycle.model.kind === 'regressor'
          ? Math.abs(Number(y) - Number(p))
          : (y as unknown) === p
            ? 0
            : 1);
  }

  /** Scores `entry` with label `y`, `delayMs` after the prediction; appends the outputs to `out`. */
  evaluate(
    ctx: StageContext,
    id: string | undefined,
    entry: Pending<X, P, Q>,
    y: Y,
    delayMs: number,
    out: { push(output: Evaluation<Y, P> | DriftEvent): unknown },
  ): void {
    const { options } = this;
    const { lifecycle, drift } = options;
    // Learn first: a label the model rejects then leaves the metrics untouched.
    lifecycle.model.learn(entry.x, y);
    for (const m of options.metrics) {
      if (m.uses === 'probability') (m as Metric<Y, number>).update(y, entry.probability as number);
      else (m as Metric<Y, P>).update(y, entry.prediction);
    }
    options.count(ctx, 'learned');
    if (options.emitEvaluations) {
      out.push({ type: 'evaluation', id, label: y, prediction: entry.prediction, delayMs });
    }
    if (drift === undefined) return;
    const value = this.signal(y, entry.prediction);
    drift.detector.update(value);
    if (!drift.detector.driftDetected) return;
    options.count(ctx, 'drifts');
    const info: Omit<DriftEvent, 'action'> = {
      type: 'drift',
      monitor: options.name,
      detector: drift.detector.name,
      topic: ctx.topic,
      partition: ctx.partition,
      offset: ctx.offset,
      timestamp: ctx.timestamp,
      value,
      n: drift.detector.n,
    };
    const action = lifecycle.drifted(info);
    ctx.log.info('drift detected', {
      monitor: options.name,
      detector: info.detector,
      offset: ctx.offset,
      action,
    });
    out.push({ ...info, action });
  }
}
