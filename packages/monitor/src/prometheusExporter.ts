import type { MetricsSnapshot, TopicPartition } from '@tributary/core';
import { invalidOption } from '@tributary/core';
import { Registry } from 'prom-client';
import { type Sample, snapshotMetric } from './internal/snapshotMetric.js';
import type { PrequentialStats } from './prequentialOptions.js';

/** Options of {@link prometheusExporter}. */
export interface PrometheusExporterOptions {
  /** Registry to add to (e.g. prom-client's global `register`). Default: a new one. */
  readonly registry?: Registry;
  /** Prefix of every metric name. Default `'tributary_'`. */
  readonly prefix?: string;
}

/** What a model exposes: metric values and, optionally, evaluation counters (a `prequential` stage fits). */
export interface ModelMetricsSource {
  /** Current metric values by name, exported as `tributary_model_metric`. */
  metrics(): Readonly<Record<string, number>>;
  /** Counters (predictions, learned, labels pending…), exported as `tributary_model_*`. */
  stats?(): PrequentialStats;
}

/** Prometheus metrics of running pipelines and models, computed at each scrape. */
export interface PrometheusExporter {
  /** The registry the metrics are in: serve it with {@link metricsServer}. */
  readonly registry: Registry;
  /** Exposes a pipeline's runtime metrics, e.g. `addPipeline(() => handle.metrics())`; returns a remover. */
  addPipeline(metrics: () => MetricsSnapshot, name?: string): () => void;
  /** Exposes a model's metrics and counters under the label `model`; returns a remover. */
  addModel(name: string, source: ModelMetricsSource): () => void;
  /** The exposition text, as served on `/metrics`. */
  metrics(): Promise<string>;
}

const STEP_OUTCOMES = [
  ['in', 'in'],
  ['out', 'out'],
  ['errors', 'error'],
  ['retries', 'retry'],
  ['deadLettered', 'dead_letter'],
  ['skipped', 'skipped'],
  ['failed', 'failed'],
] as const;
const SINK_OUTCOMES = [
  ['written', 'written'],
  ['errors', 'error'],
  ['retries', 'retry'],
  ['deadLettered', 'dead_letter'],
  ['skipped', 'skipped'],
  ['failed', 'failed'],
  ['filtered', 'filtered'],
] as const;
const MODEL_COUNTERS = [
  ['predictions', 'predictions_total', 'Predictions made'],
  ['learned', 'learned_total', 'Labelled predictions learned from'],
  ['labelsExpired', 'labels_expired_total', 'Predictions whose label did not come within the TTL'],
  ['labelsUnmatched', 'labels_unmatched_total', 'Late labels with no waiting prediction'],
  ['pendingDropped', 'pending_dropped_total', 'Waiting predictions dropped over maxPending'],
  ['drifts', 'drifts_total', 'Drifts detected'],
] as const;

/**
 * Exports core's runtime `MetricsSnapshot` (throughput per step and sink, the record latency
 * histogram, in-flight records, committed offsets, consumer lag, assignment) and model metrics (metric values,
 * predictions, labels, drifts) with prom-client. Values are read from the sources at scrape
 * time, so counters are exact totals. Serve them with {@link metricsServer}.
 */
export function prometheusExporter(options: PrometheusExporterOptions = {}): PrometheusExporter {
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? 'tributary_';
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw invalidOption(
      'prefix',
      'a Prometheus metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)',
      prefix,
    );
  }
  const pipelines = new Map<number, { name: string | undefined; read: () => MetricsSnapshot }>();
  const models = new Map<string, ModelMetricsSource>();
  let nextId = 0;

  const snapshots = (): [string, MetricsSnapshot][] =>
    [...pipelines.values()].map(({ name, read }) => {
      const s = read();
      return [name ?? s.pipeline, s];
    });
  const perPipeline = (value: (s: MetricsSnapshot) => number) => (): Sample[] =>
    snapshots().map(([pipeline, s]) => ({ labels: { pipeline }, value: value(s) }));
  const perPartition =
    (values: (s: MetricsSnapshot) => [TopicPartition, number][]) => (): Sample[] =>
      snapshots().flatMap(([pipeline, s]) =>
        values(s).map(([tp, value]) => ({
          labels: { pipeline, topic: tp.topic, partition: tp.partition },
          value,
        })),
      );
  const register = (
    name: string,
    help: string,
    type: 'counter' | 'gauge' | 'histogram',
    samples: () => Sample[],
  ) => registry.registerMetric(snapshotMetric(prefix + name, help, type, samples));

  register(
    'records_in_total',
    'Source records accepted',
    'counter',
    perPipeline((s) => s.recordsIn),
  );
  register(
    'records_done_total',
    'Source records done: processed and written by every sink, or dead-lettered/skipped',
    'counter',
    perPipeline((s) => s.recordsDone),
  );
  register(
    'in_flight',
    'Records accepted and not yet done',
    'gauge',
    perPipeline((s) => s.inFlight),
  );
  register(
    'paused',
    '1 while the source is paused by backpressure',
    'gauge',
    perPipeline((s) => (s.paused ? 1 : 0)),
  );
  register(
    'commits_total',
    'Offset commits',
    'counter',
    perPipeline((s) => s.commits),
  );
  register(
    'assigned_partitions',
    'Source partitions assigned',
    'gauge',
    perPipeline((s) => s.assigned.length),
  );
  register('step_records_total', 'Values per pipeline step and outcome', 'counter', () =>
    snapshots().flatMap(([pipeline, s]) =>
      Object.entries(s.steps).flatMap(([step, m]) =>
        STEP_OUTCOMES.map(([field, outcome]) => ({
          labels: { pipeline, step, outcome },
          value: m[field],
        })),
      ),
    ),
  );
  register('step_custom_total', 'Counters stages add with ctx.count', 'counter', () =>
    snapshots().flatMap(([pipeline, s]) =>
      Object.entries(s.steps).flatMap(([step, m]) =>
        Object.entries(m.custom).map(([counter, value]) => ({
          labels: { pipeline, step, counter },
          value,
        })),
      ),
    ),
  );
  register('sink_records_total', 'Records per sink route and outcome', 'counter', () =>
    snapshots().flatMap(([pipeline, s]) =>
      Object.entries(s.sinks).flatMap(([sink, m]) =>
        SINK_OUTCOMES.map(([field, outcome]) => ({
          labels: { pipeline, sink, outcome },
          value: m[field],
        })),
      ),
    ),
  );
  register('sink_batches_total', 'Batches written per sink route', 'counter', () =>
    snapshots().flatMap(([pipeline, s]) =>
      Object.entries(s.sinks).map(([sink, m]) => ({
        labels: { pipeline, sink },
        value: m.batches,
      })),
    ),
  );
  register(
    'committed_offset',
    'Last committed offset (next to read) per partition',
    'gauge',
    perPartition((s) => s.committed.map((c) => [c, c.offset])),
  );
  register(
    'consumer_lag',
    'Records between the committed position and the end of each assigned partition',
    'gauge',
    perPartition((s) => s.lag.map((l) => [l, l.lag])),
  );
  register(
    'record_latency_seconds',
    'Time from delivery by the source to done, per source record',
    'histogram',
    () =>
      snapshots().flatMap(([pipeline, s]) => {
        const h = s.latencyMs;
        const name = `${prefix}record_latency_seconds`;
        let cumulative = 0;
        // Core counts per bucket (the last one is the overflow); Prometheus buckets are cumulative.
        const buckets = h.bounds.map((b, i) => {
          cumulative += h.counts[i] ?? 0;
          return {
            metricName: `${name}_bucket`,
            labels: { pipeline, le: b / 1000 },
            value: cumulative,
          };
        });
        return [
          ...buckets,
          { metricName: `${name}_bucket`, labels: { pipeline, le: '+Inf' }, value: h.count },
          { metricName: `${name}_sum`, labels: { pipeline }, value: h.sum / 1000 },
          { metricName: `${name}_count`, labels: { pipeline }, value: h.count },
        ];
      }),
  );
  register('model_metric', 'Current value of a model evaluation metric', 'gauge', () =>
    [...models].flatMap(([model, src]) =>
      Object.entries(src.metrics()).map(([metric, value]) => ({
        labels: { model, metric },
        value,
      })),
    ),
  );
  register('model_labels_pending', 'Predictions waiting for their label', 'gauge', () =>
    [...models].flatMap(([model, src]) => {
      const stats = src.stats?.();
      return stats === undefined ? [] : [{ labels: { model }, value: stats.pending }];
    }),
  );
  for (const [field, suffix, help] of MODEL_COUNTERS) {
    register(`model_${suffix}`, help, 'counter', () =>
      [...models].flatMap(([model, src]) => {
        const stats = src.stats?.();
        return stats === undefined ? [] : [{ labels: { model }, value: stats[field] }];
      }),
    );
  }

  return {
    registry,
    addPipeline(read, name) {
      if (typeof read !== 'function')
        throw invalidOption('metrics', 'a function returning a MetricsSnapshot', read);
      const id = nextId++;
      pipelines.set(id, { name, read });
      return () => void pipelines.delete(id);
    },
    addModel(name, source) {
      if (typeof source?.metrics !== 'function') {
        throw invalidOption(
          'source',
          'an object with metrics() (e.g. a prequential stage)',
          source,
        );
      }
      if (models.has(name)) throw invalidOption('name', 'a model name not added yet', name);
      models.set(name, source);
      return () => void models.delete(name);
    },
    metrics: () => registry.metrics(),
  };
}
