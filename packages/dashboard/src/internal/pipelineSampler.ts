import {
  errorCode,
  type HistogramSnapshot,
  type MetricsSnapshot,
  type RuntimeEvent,
} from '@tributary/core';
import type { ModelMetricsSource } from '@tributary/monitor';
import type { PipelineTick, TimelineEvent } from '../dashboardState.js';
import { histogramQuantile } from './histogramQuantile.js';

/** What a sampler reads at each tick (checked by `dashboard().add`). */
export interface SamplerSources {
  readonly metrics: () => MetricsSnapshot;
  readonly models: Readonly<Record<string, ModelMetricsSource>>;
  readonly serving: Readonly<Record<string, { readonly version: number | undefined }>>;
  readonly series: Readonly<Record<string, () => number | undefined>>;
}

/** Dead letters reported by runtime events: step → error code → count. */
export type DeadLetterCodes = Map<string, Map<string, number>>;

/** Counts a runtime event's dead letter under its step and error code. */
export function countDeadLetter(codes: DeadLetterCodes, event: RuntimeEvent): void {
  if (event.type !== 'dead-letter') return;
  const code = errorCode(event.error) ?? 'ERROR';
  const byCode = codes.get(event.step) ?? new Map<string, number>();
  byCode.set(code, (byCode.get(code) ?? 0) + 1);
  codes.set(event.step, byCode);
}

/** A custom counter that counts drifts: monitor's `drifts`, or `drift.<what>` (e.g. a segment). */
const isDriftCounter = (name: string) => name === 'drifts' || name.startsWith('drift.');
const finite = (x: number | undefined): number | null =>
  x !== undefined && Number.isFinite(x) ? x : null;

/**
 * Turns one pipeline's sources into ticks: rates and latency quantiles over the interval since
 * the previous tick, dead letters by reason, and timeline events for what changed (a drift
 * counter went up, a serving stage adopted a version, the run ended).
 */
export class PipelineSampler {
  status: PipelineTick['status'] = 'running';
  /** Set once the sample after the run's end is taken: no more samples. */
  frozen = false;
  private readonly pushed = new Map<string, number>();
  private readonly drifts = new Map<string, number>();
  private readonly versions = new Map<string, number | undefined>();
  private readonly pending: TimelineEvent[] = [];
  private previous: { t: number; s: MetricsSnapshot; latency: HistogramSnapshot } | undefined;

  constructor(
    readonly name: string,
    private readonly sources: SamplerSources,
    /** Dead letters reported by runtime events, see {@link countDeadLetter}. */
    private readonly codes: DeadLetterCodes,
  ) {}

  push(series: string, value: number): void {
    this.pushed.set(series, value);
  }

  mark(t: number, label: string, kind: TimelineEvent['kind']): void {
    this.pending.push({ t, pipeline: this.name, kind, label });
  }

  /** Events since the last call. */
  takeEvents(): TimelineEvent[] {
    return this.pending.splice(0);
  }

  sample(t: number): PipelineTick {
    const s = this.sources.metrics();
    const prev = this.previous;
    const seconds = prev === undefined ? 0 : (t - prev.t) / 1000;
    const rate = (now: number, then: number) => (seconds > 0 ? (now - then) / seconds : null);
    const lag: Record<string, number> = {};
    for (const l of s.lag) lag[`${l.topic}/${l.partition}`] = l.lag;

    const deadLetters: Record<string, number> = {};
    let skipped = 0;
    const failedAt = (step: string, total: number) => {
      if (total <= 0) return;
      let explained = 0;
      for (const [code, n] of this.codes.get(step) ?? []) {
        deadLetters[`${step} · ${code}`] = n;
        explained += n;
      }
      // Dead letters from before the events were wired (or of an unwired run) keep the step only.
      if (total > explained) deadLetters[step] = total - explained;
    };
    for (const [step, m] of Object.entries(s.steps)) {
      failedAt(step, m.deadLettered);
      skipped += m.skipped;
      for (const [counter, n] of Object.entries(m.custom)) {
        if (!isDriftCounter(counter)) continue;
        const key = `${step}\u0000${counter}`;
        const before = this.drifts.get(key) ?? 0;
        if (n > before) {
          const what = counter === 'drifts' ? step : `${step} ${counter.slice('drift.'.length)}`;
          this.mark(t, `drift: ${what}${n - before > 1 ? ` ×${n - before}` : ''}`, 'drift');
        }
        this.drifts.set(key, n);
      }
    }
    for (const [sink, m] of Object.entries(s.sinks)) {
      failedAt(sink, m.deadLettered);
      skipped += m.skipped;
    }

    const models: Record<string, PipelineTick['models'][string]> = {};
    for (const [name, model] of Object.entries(this.sources.models)) {
      const metrics: Record<string, number | null> = {};
      for (const [metric, value] of Object.entries(model.metrics()))
        metrics[metric] = finite(value);
      const stats = model.stats?.();
      models[name] = stats === undefined ? { metrics } : { metrics, stats: { ...stats } };
    }
    const serving: Record<string, number | null> = {};
    for (const [name, stage] of Object.entries(this.sources.serving)) {
      const v = stage.version;
      if (this.versions.has(name) ? this.versions.get(name) !== v : v !== undefined) {
        this.mark(t, `${name}: version ${v ?? '–'}`, 'version');
      }
      this.versions.set(name, v);
      serving[name] = v ?? null;
    }
    const series: Record<string, number | null> = {};
    for (const [name, read] of Object.entries(this.sources.series)) series[name] = finite(read());
    for (const [name, value] of this.pushed) series[name] = finite(value);

    const latency = s.latencyMs;
    const tick: PipelineTick = {
      t,
      status: this.status,
      recordsIn: s.recordsIn,
      recordsDone: s.recordsDone,
      inRate: prev === undefined ? null : rate(s.recordsIn, prev.s.recordsIn),
      doneRate: prev === undefined ? null : rate(s.recordsDone, prev.s.recordsDone),
      p50: finite(histogramQuantile(latency, prev?.latency, 0.5)),
      p99: finite(histogramQuantile(latency, prev?.latency, 0.99)),
      inFlight: s.inFlight,
      paused: s.paused,
      lag,
      deadLetters,
      skipped,
      models,
      serving,
      series,
    };
    this.previous = { t, s, latency };
    return tick;
  }
}
