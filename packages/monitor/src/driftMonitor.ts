import {
  invalidOption,
  type Many,
  many,
  type StageContext,
  type StageObject,
} from '@tributary/core';
import type { DriftDetector } from './driftDetector.js';
import type { DriftEvent } from './driftEvent.js';

/** Options of {@link driftMonitor}. */
export interface DriftMonitorOptions<V> {
  /** Stage name. Default `'driftMonitor'`. */
  readonly name?: string;
  /** The detector fed with each record's value (e.g. `adwin()`). */
  readonly detector: DriftDetector;
  /** The monitored number of a record (e.g. a feature, a score, an error); `undefined` skips it. */
  readonly value: (value: V, ctx: StageContext) => number | undefined;
}

/** The drift monitor stage; its detector state travels in the stage snapshot. */
export interface DriftMonitor<V> extends StageObject<V, V | DriftEvent> {
  /** The stage name. */
  readonly name: string;
  /** The detector it feeds (its state is in the stage snapshot). */
  readonly detector: DriftDetector;
}

/**
 * Watches one number per record with a drift detector and passes each record on unchanged;
 * when the detector fires it also outputs a {@link DriftEvent} after the record, so a route such
 * as `when(isDriftEvent, alerts)` can send it to a topic (and, e.g., a model-reset consumer).
 */
export function driftMonitor<V>(options: DriftMonitorOptions<V>): DriftMonitor<V> {
  const detector = options?.detector;
  if (typeof detector?.update !== 'function') {
    throw invalidOption('detector', 'a drift detector such as adwin()', detector);
  }
  if (typeof options.value !== 'function')
    throw invalidOption('value', 'a function', options.value);
  const name = options.name ?? 'driftMonitor';
  return {
    name,
    detector,
    process(value, ctx): V | Many<V | DriftEvent> {
      const x = options.value(value, ctx);
      if (x === undefined) return value;
      detector.update(x);
      if (!detector.driftDetected) return value;
      ctx.count('drifts');
      const event: DriftEvent = {
        type: 'drift',
        monitor: name,
        detector: detector.name,
        topic: ctx.topic,
        partition: ctx.partition,
        offset: ctx.offset,
        timestamp: ctx.timestamp,
        value: x,
        n: detector.n,
        action: 'none',
      };
      return many<V | DriftEvent>([value, event]);
    },
    snapshot: () => detector.snapshot(),
    restore: (s) => detector.restore(s),
  };
}
