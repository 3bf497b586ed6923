/**
 * Prequential evaluation, rolling metrics, drift detectors and Prometheus metrics.
 *
 * @packageDocumentation
 * @module @tributary/monitor
 */
export { accuracy } from './accuracy.js';
export type { Adwin, AdwinOptions } from './adwin.js';
export { adwin } from './adwin.js';
export type { DdmOptions } from './ddm.js';
export { ddm } from './ddm.js';
export type { DetectorImpl } from './defineDetector.js';
export { defineDetector } from './defineDetector.js';
export type { MetricImpl } from './defineMetric.js';
export { defineMetric } from './defineMetric.js';
export type { DetectorSnapshot, DriftDetector } from './driftDetector.js';
export type { DriftEvent } from './driftEvent.js';
export { isDriftEvent } from './driftEvent.js';
export type { DriftMonitor, DriftMonitorOptions } from './driftMonitor.js';
export { driftMonitor } from './driftMonitor.js';
export type { MonitorErrorCode } from './errors.js';
export { f1 } from './f1.js';
export type { KswinOptions } from './kswin.js';
export { kswin } from './kswin.js';
export { logLoss } from './logLoss.js';
export { mae } from './mae.js';
export type { Metric, MetricSnapshot } from './metric.js';
export type { MetricsServer, MetricsServerOptions } from './metricsServer.js';
export { metricsServer } from './metricsServer.js';
export type { OnlineModel } from './onlineModel.js';
export type { PageHinkleyOptions } from './pageHinkley.js';
export { pageHinkley } from './pageHinkley.js';
export { prAuc } from './prAuc.js';
export type { BinaryMetricOptions } from './precision.js';
export { precision } from './precision.js';
export { prequential } from './prequential.js';
export type {
  DriftAction,
  Evaluation,
  Prediction,
  PrequentialDrift,
  PrequentialOptions,
  PrequentialOutput,
  PrequentialSnapshot,
  PrequentialStage,
  PrequentialStats,
} from './prequentialOptions.js';
export type {
  ModelMetricsSource,
  PrometheusExporter,
  PrometheusExporterOptions,
} from './prometheusExporter.js';
export { prometheusExporter } from './prometheusExporter.js';
export { r2 } from './r2.js';
export { recall } from './recall.js';
export { recallAtPrecision } from './recallAtPrecision.js';
export { rmse } from './rmse.js';
export type { RankingMetricOptions } from './rocAuc.js';
export { rocAuc } from './rocAuc.js';
export { rolling } from './rolling.js';
