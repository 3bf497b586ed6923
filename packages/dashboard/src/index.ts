export type {
  Dashboard,
  DashboardOptions,
  DashboardPipeline,
  DashboardPipelineOptions,
  ServingVersion,
} from './dashboard.js';
export { dashboard } from './dashboard.js';
export type { DashboardErrorCode } from './errors.js';
