/** Codes of the errors @tributary/dashboard raises (besides core's INVALID_OPTION). */
export type DashboardErrorCode =
  /** The dashboard's HTTP server could not start (e.g. the port is taken). */
  | 'DASHBOARD_SERVER_FAILED'
  /** A page asset (the page itself or the bundled uPlot files) is missing from the install. */
  | 'DASHBOARD_ASSET_MISSING';
