/**
 * A live web dashboard of running Tributary pipelines and models, charts bundled, served on 127.0.0.1.
 *
 * @packageDocumentation
 * @module @tributary/dashboard
 */
export type {
  Dashboard,
  DashboardOptions,
  DashboardPipeline,
  DashboardPipelineOptions,
  ServingVersion,
} from './dashboard.js';
export { dashboard } from './dashboard.js';
export type {
  DashboardState,
  PipelineTick,
  TickMessage,
  TimelineEvent,
} from './dashboardState.js';
export type { DashboardErrorCode } from './errors.js';
