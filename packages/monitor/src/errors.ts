/** Codes of the errors @tributary/monitor raises (besides core's INVALID_OPTION). */
export type MonitorErrorCode =
  /** `restore` got data that is not a snapshot of this metric, detector or stage. */
  | 'MONITOR_SNAPSHOT_INVALID'
  /** A label or prediction of the wrong type for the metric (e.g. a probability outside [0, 1]). */
  | 'MONITOR_BAD_VALUE'
  /** The metrics HTTP server could not start. */
  | 'MONITOR_SERVER_FAILED';
