/** Plain-data state of a drift detector, for checkpoints. */
export interface DetectorSnapshot {
  /** Name of the detector the state belongs to (checked on restore). */
  readonly detector: string;
  /** The detector's own state, as plain JSON-able data. */
  readonly state: unknown;
}

/**
 * A change detector over a stream of numbers (e.g. a model's 0/1 errors or its loss).
 * Semantics follow River: `update` then read `driftDetected`; after a drift the next `update`
 * starts the detector afresh.
 */
export interface DriftDetector {
  /** Detector name (`adwin`, `pageHinkley`, `ddm`, `kswin`), in drift events. */
  readonly name: string;
  /** Feeds one value (e.g. the model's 0/1 error); then read `driftDetected`. */
  update(x: number): void;
  /** Whether the last update detected a change. */
  readonly driftDetected: boolean;
  /** Whether the last update is in the warning zone (detectors without one: always false). */
  readonly warningDetected: boolean;
  /** Number of updates since the detector last started afresh. */
  readonly n: number;
  /** Starts afresh, forgetting every value. */
  reset(): void;
  /** The state as plain data, for checkpoints. */
  snapshot(): DetectorSnapshot;
  /** Replaces the state; throws MONITOR_SNAPSHOT_INVALID for another detector's data. */
  restore(snapshot: unknown): void;
  /** A fresh detector with the same options. */
  clone(): DriftDetector;
}
