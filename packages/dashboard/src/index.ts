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
