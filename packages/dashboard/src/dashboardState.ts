// The data of `/api/state` and of the `/events` stream (Server-Sent Events) the page reads.
/** One pipeline's sample at one tick, as sent to the page (JSON: NaN and missing become null). */
export interface PipelineTick {
  /** Wall-clock time of the sample, ms since the epoch. */
  readonly t: number;
  /** Whether the run is still going, ended cleanly, or ended with an error. */
  readonly status: 'running' | 'stopped' | 'failed';
  /** Records accepted from the source so far. */
  readonly recordsIn: number;
  /** Records that finished every stage (written, filtered or dead-lettered) so far. */
  readonly recordsDone: number;
  /** Records per second accepted from the source and done, since the previous tick. */
  readonly inRate: number | null;
  /** Records per second done since the previous tick. */
  readonly doneRate: number | null;
  /** Latency quantiles of the records done since the previous tick, in ms. */
  readonly p50: number | null;
  /** 99th percentile latency of the records done since the previous tick, in ms. */
  readonly p99: number | null;
  /** Records accepted and not yet done. */
  readonly inFlight: number;
  /** True while the run holds back the source (backpressure). */
  readonly paused: boolean;
  /** `topic/partition` → consumer lag. */
  readonly lag: Readonly<Record<string, number>>;
  /** Reason (`step` or `step · CODE`) → records dead-lettered so far. */
  readonly deadLetters: Readonly<Record<string, number>>;
  /** Records dropped so far by stages whose `onError` is `skip`. */
  readonly skipped: number;
  /** Model → metric → value, and the evaluation counters when the model has them. */
  readonly models: Readonly<
    Record<
      string,
      {
        /** Metric name → rolling value (null while it has no value yet). */
        readonly metrics: Readonly<Record<string, number | null>>;
        /** Evaluation counters, e.g. records scored and labels joined. */
        readonly stats?: Readonly<Record<string, number>>;
      }
    >
  >;
  /** Serving stage → model version in use (null before the first one). */
  readonly serving: Readonly<Record<string, number | null>>;
  /** Custom series → latest value. */
  readonly series: Readonly<Record<string, number | null>>;
}

/** Something that happened, for the timeline. */
export interface TimelineEvent {
  /** When it happened, ms since the epoch. */
  readonly t: number;
  /** Name of the pipeline it belongs to. */
  readonly pipeline: string;
  /** A drift, a new serving model version, a user's mark, or a run status change. */
  readonly kind: 'drift' | 'version' | 'mark' | 'status';
  /** Text shown on the timeline. */
  readonly label: string;
}

/** Everything the page needs on connect: recent ticks per pipeline and recent events. */
export interface DashboardState {
  /** Page title. */
  readonly title: string;
  /** Time between ticks, in ms. */
  readonly intervalMs: number;
  /** Pipeline name → its recent ticks, oldest first. */
  readonly pipelines: Readonly<Record<string, readonly PipelineTick[]>>;
  /** Recent timeline events, oldest first. */
  readonly events: readonly TimelineEvent[];
}

/**
 * What each tick pushes: the new sample of every pipeline still sampled (an ended run gets one
 * after its end, then none), the pipelines removed and the events since the last tick.
 */
export interface TickMessage {
  /** Pipeline name → its new sample. */
  readonly pipelines: Readonly<Record<string, PipelineTick>>;
  /** Names of the pipelines taken off the page since the last tick. */
  readonly removed: readonly string[];
  /** Timeline events since the last tick. */
  readonly events: readonly TimelineEvent[];
}
