import type { MetricsSnapshot, PartitionLag, SinkMetrics, StepMetrics } from '../metrics.js';
import type { RunSummary } from '../runHandle.js';
import type { PipelineSnapshot } from '../runOptions.js';
import type { SourceSession } from '../source.js';
import type { StateSnapshot, StateStore } from '../state.js';
import type { Backpressure } from './backpressure.js';
import type { Checkpointer } from './checkpointer.js';
import type { Committer } from './committer.js';
import type { Completion } from './completion.js';
import type { Lanes } from './lanes.js';
import { byPartition, type Partitions } from './partitions.js';
import type { RunStep } from './runStep.js';
import type { SinkBinding } from './sinkBinding.js';

/** Everything the reports read (and nothing they change). */
export interface ReporterHost {
  readonly name: string;
  readonly steps: readonly RunStep[];
  readonly state: StateStore;
  readonly partitions: Partitions;
  readonly lanes: Lanes;
  readonly backpressure: Backpressure;
  readonly completion: Completion;
  readonly committer: Committer;
  readonly checkpointer: Checkpointer | undefined;
  bindings(): SinkBinding[];
  session(): SourceSession | undefined;
}

/** Metrics, consumer lag, snapshots and the final summary of a run, as plain data. */
export class Reporter {
  private readonly started = performance.now();

  constructor(private readonly host: ReporterHost) {}

  metrics(): MetricsSnapshot {
    const { host } = this;
    const steps: Record<string, StepMetrics> = {};
    let into = host.lanes.begun;
    for (const s of host.steps) {
      steps[s.name] = { ...s.metrics, in: into, custom: { ...s.metrics.custom } };
      into = s.metrics.out;
    }
    const sinks: Record<string, SinkMetrics> = {};
    for (const b of host.bindings()) sinks[b.name] = { ...b.metrics };
    const parts = [...host.partitions.values()];
    return {
      pipeline: host.name,
      recordsIn: host.lanes.recordsIn,
      recordsDone: host.completion.recordsDone,
      inFlight: host.backpressure.inFlight,
      paused: host.backpressure.paused,
      steps,
      sinks,
      latencyMs: host.completion.latency.snapshot(),
      committed: host.committer.committed(),
      commits: host.committer.commits,
      assigned: parts.map((p) => ({ topic: p.topic, partition: p.partition })),
      lag: this.lag(),
      ...(host.checkpointer === undefined ? {} : { checkpoints: host.checkpointer.metrics() }),
    };
  }

  /** Per assigned partition: end offset minus the committed position (or the first delivered). */
  private lag(): PartitionLag[] {
    const out: PartitionLag[] = [];
    for (const end of this.host.session()?.endOffsets?.() ?? []) {
      const part = this.host.partitions.get(end);
      if (part === undefined) continue;
      const at = Number.isNaN(part.committed) ? part.start : part.committed;
      if (Number.isNaN(at)) continue;
      out.push({
        topic: end.topic,
        partition: end.partition,
        endOffset: end.offset,
        lag: Math.max(0, end.offset - at),
      });
    }
    return out.sort(byPartition);
  }

  snapshot(): PipelineSnapshot {
    const { host } = this;
    const stages: Record<string, unknown> = {};
    for (const s of host.steps) if (s.stage.snapshot) stages[s.name] = s.stage.snapshot();
    const state: Record<string, StateSnapshot> = {};
    for (const part of host.partitions.values()) state[part.id] = host.state.snapshot(part);
    return { stages, state, offsets: host.committer.committed() };
  }

  summary(): RunSummary {
    const metrics = this.metrics();
    const sum = (k: 'deadLettered' | 'skipped') =>
      Object.values(metrics.steps).reduce((n, s) => n + s[k], 0) +
      Object.values(metrics.sinks).reduce((n, s) => n + s[k], 0);
    return {
      recordsIn: metrics.recordsIn,
      recordsDone: metrics.recordsDone,
      deadLettered: sum('deadLettered'),
      skipped: sum('skipped'),
      committed: metrics.committed,
      durationMs: performance.now() - this.started,
      metrics,
    };
  }
}
