/** A detected change, emitted as a pipeline output so a route can send it to a sink or topic. */
export interface DriftEvent {
  /** Always `'drift'`: tells the event apart from the pipeline's records. */
  readonly type: 'drift';
  /** The emitting stage. */
  readonly monitor: string;
  /** The detector (`adwin`, `pageHinkley`, `ddm`, `kswin`). */
  readonly detector: string;
  /** The source record that triggered it. */
  readonly topic: string;
  /** Partition of the triggering record. */
  readonly partition: number;
  /** Offset of the triggering record. */
  readonly offset: number;
  /** Timestamp of the triggering record, ms since the epoch. */
  readonly timestamp: number;
  /** The value the detector saw last (e.g. the 0/1 error). */
  readonly value: number;
  /** Updates the detector had seen since it last started. */
  readonly n: number;
  /** What the stage did about it: nothing, a fresh model, or a swapped-in model. */
  readonly action: 'none' | 'reset' | 'swap';
}

/** True for a {@link DriftEvent}, e.g. `when(isDriftEvent, driftSink)`. */
export function isDriftEvent(x: unknown): x is DriftEvent {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Partial<Record<keyof DriftEvent, unknown>>;
  // `detector` and `offset` tell it apart from other `type: 'drift'` records (e.g. schema's profile drift).
  return e.type === 'drift' && typeof e.detector === 'string' && typeof e.offset === 'number';
}
