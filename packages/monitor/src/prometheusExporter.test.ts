import {
  jsonSerde,
  type MetricsSnapshot,
  memoryBus,
  type OutRecord,
  pipeline,
  run,
  type Sink,
  silentLogger,
  when,
} from '@tributary/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import { type DriftEvent, isDriftEvent } from './driftEvent.js';
import { baseRateModel } from './internal/testModel.js';
import { metricsServer } from './metricsServer.js';
import { pageHinkley } from './pageHinkley.js';
import { type PrequentialOutput, prequential } from './prequential.js';
import { prometheusExporter } from './prometheusExporter.js';

const snapshot: MetricsSnapshot = {
  pipeline: 'fraud',
  recordsIn: 10,
  recordsDone: 8,
  inFlight: 2,
  paused: false,
  steps: {
    score: {
      in: 10,
      out: 9,
      errors: 1,
      retries: 0,
      deadLettered: 1,
      skipped: 0,
      failed: 0,
      custom: { drifts: 1 },
    },
  },
  sinks: {
    alerts: {
      written: 3,
      batches: 2,
      errors: 0,
      retries: 0,
      deadLettered: 0,
      skipped: 0,
      failed: 0,
      filtered: 6,
    },
  },
  latencyMs: { bounds: [1, 10], counts: [5, 2, 1], sum: 40, count: 8 },
  committed: [{ topic: 'tx', partition: 0, offset: 8 }],
  commits: 3,
  assigned: [{ topic: 'tx', partition: 0 }],
  lag: [{ topic: 'tx', partition: 0, endOffset: 12, lag: 4 }],
};

describe('prometheusExporter', () => {
  it('exposes a runtime MetricsSnapshot with exact totals and a cumulative latency histogram', async () => {
    const prom = prometheusExporter();
    prom.addPipeline(() => snapshot);
    const text = await prom.metrics();
    for (const line of [
      '# TYPE tributary_records_in_total counter',
      'tributary_records_in_total{pipeline="fraud"} 10',
      'tributary_records_done_total{pipeline="fraud"} 8',
      'tributary_in_flight{pipeline="fraud"} 2',
      'tributary_paused{pipeline="fraud"} 0',
      'tributary_step_records_total{pipeline="fraud",step="score",outcome="dead_letter"} 1',
      'tributary_step_custom_total{pipeline="fraud",step="score",counter="drifts"} 1',
      'tributary_sink_records_total{pipeline="fraud",sink="alerts",outcome="filtered"} 6',
      'tributary_sink_batches_total{pipeline="fraud",sink="alerts"} 2',
      'tributary_committed_offset{pipeline="fraud",topic="tx",partition="0"} 8',
      'tributary_consumer_lag{pipeline="fraud",topic="tx",partition="0"} 4',
      'tributary_commits_total{pipeline="fraud"} 3',
      'tributary_assigned_partitions{pipeline="fraud"} 1',
      '# TYPE tributary_record_latency_seconds histogram',
      'tributary_record_latency_seconds_bucket{pipeline="fraud",le="0.001"} 5',
      'tributary_record_latency_seconds_bucket{pipeline="fraud",le="0.01"} 7',
      'tributary_record_latency_seconds_bucket{pipeline="fraud",le="+Inf"} 8',
      'tributary_record_latency_seconds_sum{pipeline="fraud"} 0.04',
      'tributary_record_latency_seconds_count{pipeline="fraud"} 8',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
  });

  it('adds to a given registry with a prefix, and removes sources', async () => {
    const registry = new Registry();
    const prom = prometheusExporter({ registry, prefix: 'app_' });
    const remove = prom.addPipeline(() => snapshot, 'renamed');
    expect(await registry.metrics()).toContain('app_in_flight{pipeline="renamed"} 2');
    remove();
    expect(await registry.metrics()).not.toContain('app_in_flight{');
    expect(() => prometheusExporter({ prefix: '1bad' })).toThrow(/prefix/);
  });
});

describe('monitoring a running pipeline', () => {
  it('evaluates, routes drift events to their own sink, and serves /metrics on 127.0.0.1', async () => {
    const bus = memoryBus();
    // labels flip from mostly true to mostly false at record 300
    bus.produce(
      'tx',
      Array.from({ length: 600 }, (_, i) => ({
        key: `k${i % 7}`,
        value: { i, y: i < 300 ? i % 10 !== 0 : i % 10 === 0 },
      })),
    );
    type Out = PrequentialOutput<{ i: number; y: boolean }, boolean, boolean>;
    // core's `when` does not narrow the sink type by a type guard, so both sinks take the union
    const drifts: OutRecord<Out>[] = [];
    const driftSink: Sink<Out> = { name: 'drifts', write: async (b) => void drifts.push(...b) };
    const predictions: Sink<Out> = { name: 'predictions', write: async () => {} };
    const stage = prequential({
      name: 'fraud-model',
      model: baseRateModel(),
      features: () => new Float64Array(0),
      label: (v: { i: number; y: boolean }) => v.y,
      metrics: [accuracy()],
      drift: { detector: pageHinkley({ threshold: 20, delta: 0.05 }), onDrift: 'reset' },
    });
    const handle = run(
      pipeline(
        bus.source({
          serde: jsonSerde<{ i: number; y: boolean }>(),
          topic: 'tx',
          group: 'eval',
          stopAtEnd: true,
        }),
      )
        .pipe(stage)
        .to(
          when(isDriftEvent, driftSink),
          when((o) => o.type === 'prediction', predictions),
        ),
      { logger: silentLogger },
    );
    const summary = await handle.done;
    expect(summary.recordsDone).toBe(600);
    expect(stage.stats()).toMatchObject({ predictions: 600, learned: 600 });
    expect(drifts.length).toBeGreaterThanOrEqual(1);
    expect(drifts[0]!.value).toMatchObject({
      type: 'drift',
      monitor: 'fraud-model',
      action: 'reset',
    });
    expect((drifts[0]!.value as DriftEvent).offset).toBeGreaterThanOrEqual(300);

    const prom = prometheusExporter();
    prom.addPipeline(() => handle.metrics(), 'eval');
    prom.addModel('fraud-model', stage);
    const server = await metricsServer({ registry: prom.registry, port: 0 });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const body = await res.text();
      expect(body).toContain('tributary_records_in_total{pipeline="eval"} 600');
      expect(body).toContain('tributary_model_predictions_total{model="fraud-model"} 600');
      expect(body).toContain(`tributary_model_drifts_total{model="fraud-model"} ${drifts.length}`);
      expect(body).toMatch(
        /tributary_model_metric\{model="fraud-model",metric="accuracy"\} 0\.\d+/,
      );
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it('reports a port in use as MONITOR_SERVER_FAILED', async () => {
    const registry = new Registry();
    const a = await metricsServer({ registry, port: 0 });
    try {
      await expect(metricsServer({ registry, port: a.port })).rejects.toMatchObject({
        code: 'MONITOR_SERVER_FAILED',
      });
    } finally {
      await a.close();
    }
  });
});
