// The data of `/api/state` and of the `/events` stream (Server-Sent Events) the page reads.
/** One pipeline's sample at one tick, as sent to the page (JSON: NaN and missing become null). */
export interface PipelineTick {
  /** Wall-clock time of the sample, ms since the epoch. */
  readonly t: number;
  readonly status: 'running' | 'stopped' | 'failed';
  readonly recordsIn: number;
  readonly recordsDone: number;
  /** Records per second accepted from the source and done, since the previous tick. */
  readonly inRate: number | null;
  readonly doneRate: number | null;
  /** Latency quantiles of the records done since the previous tick, in ms. */
  readonly p50: number | null;
  readonly p99: number | null;
  readonly inFlight: number;
  readonly paused: boolean;
  /** `topic/partition` → consumer lag. */
  readonly lag: Readonly<Record<string, number>>;
  /** Reason (`step` or `step · CODE`) → records dead-lettered so far. */
  readonly deadLetters: Readonly<Record<string, number>>;
  readonly skipped: number;
  /** Model → metric → value, and the evaluation counters when the model has them. */
  readonly models: Readonly<
    Record<
      string,
      {
        readonly metrics: Readonly<Record<string, number | null>>;
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
  readonly t: number;
  readonly pipeline: string;
  readonly kind: 'drift' | 'version' | 'mark' | 'status';
  readonly label: string;
}

/** Everything the page needs on connect: recent ticks per pipeline and recent events. */
export interface DashboardState {
  readonly title: string;
  readonly intervalMs: number;
  readonly pipelines: Readonly<Record<string, readonly PipelineTick[]>>;
  readonly events: readonly TimelineEvent[];
}

/**
 * What each tick pushes: the new sample of every pipeline still sampled (an ended run gets one
 * after its end, then none), the pipelines removed and the events since the last tick.
 */
export interface TickMessage {
  readonly pipelines: Readonly<Record<string, PipelineTick>>;
  readonly removed: readonly string[];
  readonly events: readonly TimelineEvent[];
}
