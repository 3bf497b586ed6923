import { DeadLetterHeaders, type ErrorPolicy } from '../errorPolicy.js';
import { errorCode, errorMessage, TributaryError } from '../errors.js';
import type {
  MetricsSnapshot,
  PartitionLag,
  RuntimeEvent,
  SinkMetrics,
  StepMetrics,
} from '../metrics.js';
import type { Pipeline, Step } from '../pipeline.js';
import {
  type Headers,
  type Key,
  keyToString,
  type OutRecord,
  type TopicPartition,
  type TopicPartitionOffset,
  type TRecord,
} from '../record.js';
import { backoffDelay, isRetryable } from '../retry.js';
import type { Route } from '../route.js';
import type { PipelineSnapshot, ResolvedRunOptions, RunHandle, RunSummary } from '../run.js';
import type { Sink } from '../sink.js';
import type { SourceSession } from '../source.js';
import {
  type Emit,
  isEmit,
  isMany,
  outputKind,
  type PartitionState,
  type StageContext,
  type StageEndContext,
} from '../stage.js';
import type { KeyedState, StateStore } from '../state.js';
import { type Chain, compileSteps } from './compileSteps.js';
import { Histogram } from './histogram.js';
import { DEAD, type Delivery, END_SEQ, type Item, isDead, type Part } from './item.js';
import { OffsetTracker } from './offsetTracker.js';
import { SinkBinding } from './sinkBinding.js';
import { isThenable, sleep } from './sleep.js';

interface RunStep extends Step {
  readonly index: number;
  readonly metrics: StepMetrics;
  readonly code: string;
}

interface OutMeta {
  readonly key?: Key | undefined;
  readonly headers?: Headers | undefined;
  readonly timestamp?: number | undefined;
}

interface RouteBinding {
  readonly route: Route<unknown>;
  readonly binding: SinkBinding;
}

/** A queue of items processed one at a time: a partition, or a key with `ordering: 'key'`. */
interface Lane {
  readonly id: string;
  readonly part: Part;
  queue: Item[];
  head: number;
  running: boolean;
  ready: boolean;
  readonly ctx: LaneContext;
}

type Flow = undefined | Promise<void>;

const newStepMetrics = (): StepMetrics => ({
  in: 0,
  out: 0,
  errors: 0,
  retries: 0,
  deadLettered: 0,
  skipped: 0,
  failed: 0,
  custom: {},
});

const RESOLVED = Promise.resolve();

/** One key's state in one stage and partition (a class: no closures per `partitionState.of`). */
class KeySlot implements KeyedState {
  constructor(
    private readonly store: StateStore,
    private readonly part: Part,
    private readonly ns: string,
    private readonly id: string,
  ) {}
  get<T>(): T | undefined {
    return this.store.get(this.part, this.ns, this.id) as T | undefined;
  }
  set<T>(value: T): void {
    this.store.set(this.part, this.ns, this.id, value);
  }
  delete(): void {
    this.store.delete(this.part, this.ns, this.id);
  }
}

/**
 * The context a lane hands its stages. One per lane, re-pointed at each record:
 * a lane runs one record at a time, so the fields stay right across awaits.
 */
class LaneContext implements StageContext {
  item!: Item;
  step!: RunStep;
  readonly state: KeyedState;

  constructor(
    private readonly rt: Runtime,
    readonly signal: AbortSignal,
  ) {
    const store = rt.options.state;
    // The key's string form, worked out once per record and only if a stage uses state.
    let keyOf: Item | undefined;
    let keyString = '';
    const key = () => {
      if (keyOf !== this.item) {
        keyOf = this.item;
        keyString = keyToString(keyOf.rec.key);
      }
      return keyString;
    };
    this.state = {
      get: <T>() => store.get(this.item.part, this.step.name, key()) as T | undefined,
      set: <T>(value: T) => store.set(this.item.part, this.step.name, key(), value),
      delete: () => store.delete(this.item.part, this.step.name, key()),
    };
  }
  get topic() {
    return this.item.rec.topic;
  }
  get partition() {
    return this.item.rec.partition;
  }
  get offset() {
    return this.item.rec.offset;
  }
  get key() {
    return this.item.rec.key;
  }
  get timestamp() {
    return this.item.rec.timestamp;
  }
  get headers() {
    return this.item.rec.headers;
  }
  private across: PartitionState | undefined;
  get partitionState(): PartitionState {
    if (this.across !== undefined) return this.across;
    const store = this.rt.options.state;
    // Bound to the partition and stage of the moment: a slot kept past the record stays put.
    this.across = {
      of: (k: Key) => {
        const { part } = this.item;
        const ns = this.step.name;
        const id = keyToString(k);
        return new KeySlot(store, part, ns, id);
      },
      keys: () => {
        const { part } = this.item;
        const ns = this.step.name;
        return store.keys?.(part, ns) ?? Object.keys(store.snapshot(part)[ns] ?? {});
      },
    };
    return this.across;
  }
  get log() {
    return this.rt.options.logger;
  }
  count(metric: string, by = 1): void {
    const custom = this.step.metrics.custom;
    custom[metric] = (custom[metric] ?? 0) + by;
  }
}

const tpId = (tp: TopicPartition) => `${tp.topic}/${tp.partition}`;
/** Orders per-partition entries of metrics by topic, then partition. */
const byPartition = (a: TopicPartition, b: TopicPartition) =>
  a.topic.localeCompare(b.topic) || a.partition - b.partition;

/** The engine behind `run()`. */
export class Runtime implements RunHandle {
  readonly done: Promise<RunSummary>;
  private readonly steps: RunStep[];
  private readonly routes: RouteBinding[];
  private readonly deadLetters = new Map<Sink<unknown>, SinkBinding>();
  private readonly sinks: Set<Sink<unknown>>;
  private readonly starting: Promise<void>;
  /** All steps in one generated function (see compileSteps); undefined where codegen is off. */
  private readonly chain: Chain<Item, LaneContext> | undefined;
  private readonly parts = new Map<string, Part>();
  /** Last committed position per partition, kept after a partition is revoked. */
  private readonly committedAt = new Map<string, TopicPartitionOffset>();
  private readonly lanes = new Map<string, Lane>();
  private readonly readyLanes: Lane[] = [];
  private active = 0;
  private inFlight = 0;
  private recordsIn = 0;
  private recordsDone = 0;
  /** Records whose processing began: the `in` of the first step (each later step's is the previous one's `out`). */
  private begun = 0;
  private commits = 0;
  private paused = false;
  private capacityWaiters: (() => void)[] = [];
  private settleWaiters: { test: () => boolean; resolve: () => void }[] = [];
  private session: SourceSession | undefined;
  private stopping: Promise<RunSummary> | undefined;
  private failure: unknown;
  private ended = false;
  private committing: Promise<void> = RESOLVED;
  private commitTimer: NodeJS.Timeout | undefined;
  private readonly latency = new Histogram();
  private readonly stopController = new AbortController();
  private readonly started = performance.now();
  private resolveDone!: (s: RunSummary) => void;
  private rejectDone!: (e: unknown) => void;
  private readonly onSignal = () => void this.stop();
  readonly signal: AbortSignal = this.stopController.signal;
  readonly name: string;

  constructor(
    private readonly pipeline: Pipeline<unknown>,
    readonly options: ResolvedRunOptions,
  ) {
    this.name = options.name ?? pipeline.source.name;
    const source = pipeline.source;
    const decode = source.decode;
    const all: Step[] =
      decode === undefined
        ? [...pipeline.steps]
        : [
            {
              name: `${source.name}.decode`,
              stage: {
                process: (_raw, ctx) =>
                  decode((ctx as LaneContext).item.rec.value, (ctx as LaneContext).item.rec),
              },
              retry: undefined,
              onError: undefined,
            },
            ...pipeline.steps,
          ];
    this.steps = all.map((s, index) => ({
      ...s,
      index,
      metrics: newStepMetrics(),
      code: index === 0 && decode !== undefined ? 'DECODE_FAILED' : 'STAGE_FAILED',
    }));
    const names = new Map<Route<unknown>['sink'], number>();
    this.routes = pipeline.routes.map((route) => {
      const n = names.get(route.sink) ?? 0;
      names.set(route.sink, n + 1);
      const name = n === 0 ? route.sink.name : `${route.sink.name}#${n + 1}`;
      const binding = new SinkBinding(
        name,
        route.sink as Sink<unknown>,
        route.retry ?? options.sinkRetry,
        route.onError ?? options.onError,
        this,
      );
      return { route, binding };
    });
    this.done = new Promise<RunSummary>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // Callers that only await stop() should not see an unhandled rejection.
    this.done.catch(() => {});
    if (options.handleSignals) {
      process.once('SIGINT', this.onSignal);
      process.once('SIGTERM', this.onSignal);
    }
    this.sinks = new Set<Sink<unknown>>([
      ...this.routes.map((r) => r.binding.sink),
      ...this.deadLetterSinks(),
    ]);
    this.chain = compileSteps<RunStep, Item, LaneContext>(this.steps, this);
    this.starting = this.start();
  }

  // ---- lifecycle -------------------------------------------------------------------------

  private async start(): Promise<void> {
    try {
      const restore = this.options.restore;
      for (const step of this.steps) {
        if (restore !== undefined && step.stage.restore && step.name in restore.stages) {
          step.stage.restore(restore.stages[step.name]);
        }
        await step.stage.open?.({ stage: step.name, log: this.options.logger });
      }
      for (const sink of this.sinks) await sink.open?.();
      this.commitTimer = setInterval(() => void this.commit(), this.options.commitIntervalMs);
      this.session = await this.pipeline.source.start({
        deliver: (records) => this.deliver(records),
        assigned: (tps) => this.assigned(tps),
        revoked: (tps) => this.revoked(tps),
        ended: () => {
          if (this.ended) return;
          this.ended = true;
          void this.stopWhenSettled();
        },
        failed: (error) =>
          this.fatal(
            new TributaryError(
              'SOURCE_FAILED',
              `source ${this.pipeline.source.name} failed: ${errorMessage(error)}`,
              { cause: error },
            ),
          ),
      });
    } catch (error) {
      this.fatal(error);
    }
  }

  private deadLetterSinks(): Sink<unknown>[] {
    const policies: ErrorPolicy[] = [
      this.options.onError,
      ...this.steps.flatMap((s) => (s.onError ? [s.onError] : [])),
      ...this.routes.flatMap((r) => (r.route.onError ? [r.route.onError] : [])),
    ];
    return policies.flatMap((p) => (p.kind === 'deadLetter' ? [p.sink] : []));
  }

  stop(): Promise<RunSummary> {
    if (this.stopping === undefined) this.stopping = this.shutdown();
    return this.stopping;
  }

  private async stopWhenSettled(): Promise<void> {
    await this.waitFor(() => this.ended && this.live() === 0);
    void this.stop();
  }

  private async shutdown(): Promise<RunSummary> {
    const { logger, drainTimeoutMs } = this.options;
    // A stop during start waits for the source session, so it can be closed.
    await this.starting;
    try {
      // Stop fetching; records delivered from now on are ignored and stay uncommitted.
      this.pauseSource();
      const drained = await Promise.race([
        this.drainAll()
          .then(() => this.endInput())
          .then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), drainTimeoutMs).unref()),
      ]);
      if (!drained)
        logger.warn(`${this.name}: drain timed out; unfinished records stay uncommitted`);
      // Ends retry waits; records still retrying are abandoned, uncommitted.
      this.stopController.abort(new TributaryError('STOPPED', 'pipeline stopped'));
      // Past the drain timeout nothing more is awaited: revokes from closing the session
      // must not wait for stages that never settle.
      this.notifySettled();
      clearInterval(this.commitTimer);
      await this.commit();
      await this.session?.close();
      for (const step of this.steps) await step.stage.close?.();
      for (const sink of this.sinks) {
        await sink.flush?.();
        await sink.close?.();
      }
      await this.options.state.close();
    } catch (error) {
      if (this.failure === undefined) this.failure = error;
      logger.error(`${this.name}: error while stopping`, { error: errorMessage(error) });
    } finally {
      clearInterval(this.commitTimer);
      process.removeListener('SIGINT', this.onSignal);
      process.removeListener('SIGTERM', this.onSignal);
    }
    const summary = this.summary();
    this.emit({ type: 'stopped', ...(this.failure === undefined ? {} : { error: this.failure }) });
    if (this.failure === undefined) this.resolveDone(summary);
    else this.rejectDone(this.failure);
    return summary;
  }

  private fatal(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.options.logger.error(`${this.name}: stopping on error`, { error: errorMessage(error) });
    this.emit({ type: 'error', error });
    void this.stop();
  }

  /** Waits until every live record is done and sink buffers are written. */
  private async drainAll(): Promise<void> {
    for (;;) {
      await Promise.all(this.allBindings().map((b) => b.drain()));
      await this.waitFor(() => this.live() === 0 || this.failure !== undefined);
      if (this.allBindings().every((b) => b.buffered === 0)) return;
    }
  }

  /** Input ended: each stage's `end` per partition, its outputs through the later steps, drained. */
  private async endInput(): Promise<void> {
    const reason = this.ended ? 'end' : 'stop';
    const stopped = () => this.failure !== undefined || this.signal.aborted;
    for (const step of this.steps) {
      const end = step.stage.end;
      if (end === undefined) continue;
      for (const part of [...this.parts.values()]) {
        if (stopped()) return;
        if (part.revoked) continue;
        const ctx = new LaneContext(this, part.signal);
        ctx.step = step;
        // Stands for the partition while `end` runs: what its error policy sees.
        const hook = this.endItem(part, null, undefined);
        ctx.item = hook;
        const endCtx: StageEndContext = {
          stage: step.name,
          topic: part.topic,
          partition: part.partition,
          reason,
          partitionState: ctx.partitionState,
          log: this.options.logger,
          count: (metric, by) => ctx.count(metric, by),
          signal: part.signal,
        };
        let out: unknown;
        try {
          out = await end.call(step.stage, endCtx);
        } catch (error) {
          step.metrics.errors++;
          const policy = step.onError ?? this.options.onError;
          this.applyPolicy(policy, step.name, step.code, step.metrics, hook, error, 1);
        }
        this.release(hook);
        if (out === undefined) continue;
        const outputs = isMany(out) ? out.items : [out];
        step.metrics.out += outputs.length;
        for (const o of outputs) {
          if (stopped()) return;
          const item = isEmit(o)
            ? this.endItem(part, o.value, o)
            : this.endItem(part, o, undefined);
          ctx.item = item;
          try {
            await this.runFrom(step.index + 1, item.rec.value, item, ctx, undefined);
          } catch (error) {
            this.fatal(error);
            return;
          }
          this.release(item);
        }
      }
    }
    await this.drainAll();
  }

  /** An item for an `end` output: the partition's, with the output's key and timestamp, no offset. */
  private endItem(part: Part, value: unknown, meta: OutMeta | undefined): Item {
    part.live++;
    const rec: TRecord<unknown> = {
      topic: part.topic,
      partition: part.partition,
      offset: -1,
      key: meta?.key ?? null,
      value,
      headers: meta?.headers ?? {},
      timestamp: meta?.timestamp ?? Date.now(),
    };
    return { rec, part, seq: END_SEQ, pending: 1, delivery: { t0: performance.now() } };
  }

  private allBindings(): SinkBinding[] {
    return [...this.routes.map((r) => r.binding), ...this.deadLetters.values()];
  }

  private live(): number {
    let n = 0;
    for (const part of this.parts.values()) n += part.live;
    return n;
  }

  private waitFor(test: () => boolean): Promise<void> {
    if (test()) return RESOLVED;
    return new Promise((resolve) => this.settleWaiters.push({ test, resolve }));
  }

  private notifySettled(): void {
    if (this.settleWaiters.length === 0) return;
    const waiting = this.settleWaiters;
    this.settleWaiters = [];
    for (const w of waiting) {
      if (w.test()) w.resolve();
      else this.settleWaiters.push(w);
    }
  }

  // ---- source side ------------------------------------------------------------------------

  private async assigned(tps: readonly TopicPartition[]): Promise<void> {
    await this.options.state.assign(tps);
    const restore = this.options.restore;
    for (const tp of tps) {
      const part = this.part(tp);
      const snap = restore?.state[part.id];
      if (snap !== undefined) this.options.state.restore(tp, snap);
    }
    this.emit({ type: 'assigned', partitions: tps });
  }

  private part(tp: TopicPartition): Part {
    const id = tpId(tp);
    let part = this.parts.get(id);
    if (part === undefined) {
      const abort = new AbortController();
      part = {
        topic: tp.topic,
        partition: tp.partition,
        id,
        tracker: new OffsetTracker(),
        live: 0,
        revoked: false,
        committed: Number.NaN,
        start: Number.NaN,
        abort,
        signal: AbortSignal.any([abort.signal, this.signal]),
      };
      this.parts.set(id, part);
    }
    return part;
  }

  private async revoked(tps: readonly TopicPartition[]): Promise<void> {
    const parts = tps.flatMap((tp) => this.parts.get(tpId(tp)) ?? []);
    for (const part of parts) {
      part.revoked = true;
      // Records not started yet are abandoned: never done, so never committed.
      for (const lane of this.lanes.values()) {
        if (lane.part !== part) continue;
        for (let i = lane.head; i < lane.queue.length; i++) this.abandon(lane.queue[i] as Item);
        lane.queue.length = lane.head;
      }
      part.abort.abort(new TributaryError('STOPPED', 'partition revoked'));
    }
    await Promise.all(this.allBindings().map((b) => b.drain()));
    await this.waitFor(
      () =>
        parts.every((p) => p.live === 0) ||
        this.failure !== undefined ||
        this.stopController.signal.aborted,
    );
    await this.commit();
    await this.options.state.revoke(tps);
    for (const part of parts) {
      this.parts.delete(part.id);
      for (const [id, lane] of this.lanes) if (lane.part === part) this.lanes.delete(id);
    }
    this.emit({ type: 'revoked', partitions: tps });
  }

  private deliver(records: readonly TRecord<unknown>[]): Promise<void> {
    if (this.stopping !== undefined || this.failure !== undefined || records.length === 0) {
      return RESOLVED;
    }
    const first = records[0] as TRecord<unknown>;
    const part = this.part(first);
    if (part.revoked) return RESOLVED;
    if (Number.isNaN(part.start)) part.start = first.offset;
    const delivery: Delivery = { t0: performance.now() };
    const n = records.length;
    if (this.options.ordering === 'key') {
      for (let i = 0; i < n; i++) {
        const rec = records[i] as TRecord<unknown>;
        const item: Item = { rec, part, seq: part.tracker.add(rec.offset), pending: 1, delivery };
        part.live++;
        this.inFlight++;
        this.recordsIn++;
        const lane = this.lane(part, `${part.id}\u0000${keyToString(rec.key)}`);
        lane.queue.push(item);
        this.schedule(lane);
      }
    } else {
      // Counted up front: nothing runs until the lane is scheduled below.
      part.live += n;
      this.inFlight += n;
      this.recordsIn += n;
      const lane = this.lane(part, part.id);
      let queue = lane.queue;
      let at = queue.length;
      if (lane.head === at) {
        // An idle lane gets a queue sized for the delivery, so filling it never copies.
        queue = new Array(n);
        lane.queue = queue;
        lane.head = 0;
        at = 0;
      }
      // Index loops, not for-of: per-record iterator objects are not always optimised away.
      for (let i = 0; i < n; i++) {
        const rec = records[i] as TRecord<unknown>;
        queue[at + i] = { rec, part, seq: part.tracker.add(rec.offset), pending: 1, delivery };
      }
      this.schedule(lane);
    }
    if (this.inFlight < this.options.maxInFlight) return RESOLVED;
    this.pauseSource();
    return new Promise((resolve) => this.capacityWaiters.push(resolve));
  }

  private pauseSource(): void {
    if (this.paused) return;
    this.paused = true;
    this.session?.pause([...this.parts.values()]);
    this.emit({ type: 'paused' });
  }

  private maybeResume(): void {
    if (!this.paused || this.stopping !== undefined) return;
    if (this.inFlight > this.options.maxInFlight / 2) return;
    this.paused = false;
    this.session?.resume([...this.parts.values()]);
    this.emit({ type: 'resumed' });
    const waiters = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const resolve of waiters) resolve();
  }

  // ---- lanes ------------------------------------------------------------------------------

  private lane(part: Part, id: string): Lane {
    let lane = this.lanes.get(id);
    if (lane === undefined) {
      lane = {
        id,
        part,
        queue: [],
        head: 0,
        running: false,
        ready: false,
        ctx: new LaneContext(this, part.signal),
      };
      this.lanes.set(id, lane);
    }
    return lane;
  }

  private schedule(lane: Lane): void {
    if (lane.running || lane.ready) return;
    if (this.active < this.options.concurrency) {
      this.active++;
      lane.running = true;
      this.drain(lane);
    } else {
      lane.ready = true;
      this.readyLanes.push(lane);
    }
  }

  /** Runs a lane's records in order: synchronously while stages are, awaiting when one is not. */
  private drain(lane: Lane): void {
    const ctx = lane.ctx;
    while (lane.head < lane.queue.length) {
      if (this.failure !== undefined) break;
      const item = lane.queue[lane.head++] as Item;
      ctx.item = item;
      this.begun++;
      const flow =
        this.chain === undefined
          ? this.runFrom(0, item.rec.value, item, ctx, undefined)
          : (this.chain(item.rec.value, item, ctx) as Flow);
      if (flow !== undefined) {
        flow.then(
          () => {
            this.release(item);
            this.drain(lane);
          },
          (error) => this.fatal(error),
        );
        return;
      }
      this.release(item);
    }
    lane.queue = [];
    lane.head = 0;
    lane.running = false;
    this.active--;
    if (this.options.ordering === 'key' && lane.queue.length === 0) this.lanes.delete(lane.id);
    const next = this.readyLanes.shift();
    if (next !== undefined) {
      next.ready = false;
      this.schedule(next);
    }
  }

  // ---- steps ------------------------------------------------------------------------------

  /** Runs `value` through steps `from`… and on to the sinks. Returns a promise only if something was async. */
  private runFrom(
    from: number,
    value: unknown,
    item: Item,
    ctx: LaneContext,
    meta: OutMeta | undefined,
  ): Flow {
    const steps = this.steps;
    let v = value;
    for (let i = from; i < steps.length; i++) {
      const step = steps[i] as RunStep;
      ctx.step = step;
      let out: unknown;
      try {
        out = step.stage.process(v, ctx);
      } catch (error) {
        return this.failed(step, v, item, ctx, meta, error, 1);
      }
      if (out === undefined) return undefined;
      // Plain objects (the usual result) skip the checks; many()/emit() results are class instances.
      if (typeof out === 'object' && out !== null && out.constructor !== Object) {
        return this.settle(step, v, out, item, ctx, meta);
      }
      step.metrics.out++;
      v = out;
    }
    this.toSinks(v, item, ctx, meta);
    return undefined;
  }

  /** A step returned a promise, a thenable, many()/emit(), or a class instance: handle it. */
  settle(
    step: RunStep,
    input: unknown,
    out: object,
    item: Item,
    ctx: LaneContext,
    meta?: OutMeta | undefined,
    attempt = 1,
  ): Flow {
    // Checked in order of cost: native promises, our wrappers, then other thenables.
    if (out instanceof Promise || (outputKind(out) === undefined && isThenable(out))) {
      return Promise.resolve(out).then(
        (o) => this.afterStep(step, o, item, ctx, meta),
        (error) => this.failed(step, input, item, ctx, meta, error, attempt),
      );
    }
    if (outputKind(out) !== undefined) return this.fanOut(step, out, item, ctx, meta);
    step.metrics.out++;
    return this.runFrom(step.index + 1, out, item, ctx, meta);
  }

  private afterStep(
    step: RunStep,
    out: unknown,
    item: Item,
    ctx: LaneContext,
    meta: OutMeta | undefined,
  ): Flow {
    if (out === undefined) return undefined;
    if (outputKind(out) !== undefined) return this.fanOut(step, out as object, item, ctx, meta);
    step.metrics.out++;
    return this.runFrom(step.index + 1, out, item, ctx, meta);
  }

  private fanOut(
    step: RunStep,
    out: object,
    item: Item,
    ctx: LaneContext,
    meta: OutMeta | undefined,
  ): Flow {
    const outputs = isMany(out) ? out.items : [out];
    step.metrics.out += outputs.length;
    let k = 0;
    const next = (): Flow => {
      while (k < outputs.length) {
        const o = outputs[k++];
        const flow = isEmit(o)
          ? this.runFrom(step.index + 1, o.value, item, ctx, mergeMeta(meta, o))
          : this.runFrom(step.index + 1, o, item, ctx, meta);
        if (flow !== undefined) return flow.then(next);
      }
      return undefined;
    };
    return next();
  }

  /** A step threw or rejected: retry with backoff, or apply the error policy. */
  failed(
    step: RunStep,
    value: unknown,
    item: Item,
    ctx: LaneContext,
    meta: OutMeta | undefined,
    error: unknown,
    attempt: number,
  ): Flow {
    step.metrics.errors++;
    const retry = step.retry ?? this.options.retry;
    if (
      retry !== undefined &&
      attempt <= retry.retries &&
      (retry.retryable ?? isRetryable)(error) &&
      !item.part.signal.aborted
    ) {
      const delay = backoffDelay(retry, attempt, this.options.random);
      step.metrics.retries++;
      this.retried(step.name, attempt, delay, error);
      return sleep(delay, item.part.signal).then(
        () => {
          ctx.item = item;
          ctx.step = step;
          let out: unknown;
          try {
            out = step.stage.process(value, ctx);
          } catch (e) {
            return this.failed(step, value, item, ctx, meta, e, attempt + 1);
          }
          if (typeof out === 'object' && out !== null) {
            return this.settle(step, value, out, item, ctx, meta, attempt + 1);
          }
          return this.afterStep(step, out, item, ctx, meta);
        },
        () => this.abandon(item),
      );
    }
    const policy = step.onError ?? this.options.onError;
    this.applyPolicy(policy, step.name, step.code, step.metrics, item, error, attempt);
    return undefined;
  }

  private applyPolicy(
    policy: ErrorPolicy,
    stepName: string,
    code: string,
    metrics: { deadLettered: number; skipped: number; failed: number },
    item: Item,
    error: unknown,
    attempts: number,
  ): void {
    const record = {
      topic: item.rec.topic,
      partition: item.rec.partition,
      offset: item.rec.offset,
    };
    if (policy.kind === 'skip') {
      metrics.skipped++;
      this.options.logger.warn(`${this.name}: skipped a record that failed in ${stepName}`, {
        ...record,
        error: errorMessage(error),
      });
      this.emit({ type: 'skip', step: stepName, record, error, attempts });
      return;
    }
    if (policy.kind === 'deadLetter') {
      metrics.deadLettered++;
      this.deadLetterBinding(policy.sink).push(
        deadLetterRecord(item.rec, stepName, code, error, attempts),
        item,
      );
      this.emit({ type: 'dead-letter', step: stepName, record, error, attempts });
      return;
    }
    metrics.failed++;
    item.pending = DEAD;
    this.fatal(
      new TributaryError(
        code,
        `${stepName} failed on ${record.topic}/${record.partition}@${record.offset}: ${errorMessage(error)}`,
        {
          cause: error,
          details: { step: stepName, ...record, attempts },
        },
      ),
    );
  }

  private deadLetterBinding(sink: Sink<unknown>): SinkBinding {
    let binding = this.deadLetters.get(sink);
    if (binding === undefined) {
      // A dead-letter write that fails for good stops the pipeline: there is nowhere left to put the record.
      binding = new SinkBinding(sink.name, sink, this.options.sinkRetry, { kind: 'fail' }, this);
      this.deadLetters.set(sink, binding);
    }
    return binding;
  }

  toSinks(value: unknown, item: Item, ctx: LaneContext, meta: OutMeta | undefined): void {
    const rec = item.rec;
    const out: OutRecord =
      meta === undefined
        ? { key: rec.key, value, headers: rec.headers, timestamp: rec.timestamp }
        : {
            key: meta.key !== undefined ? meta.key : rec.key,
            value,
            headers: meta.headers ?? rec.headers,
            timestamp: meta.timestamp ?? rec.timestamp,
          };
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) {
      const { route, binding } = routes[i] as RouteBinding;
      const { when, map } = route;
      if (when !== undefined || map !== undefined) {
        let pass = true;
        let routed = out;
        try {
          if (when !== undefined) pass = when(value, ctx);
          if (pass && map !== undefined)
            routed = {
              key: out.key,
              value: map(value, ctx),
              headers: out.headers,
              timestamp: out.timestamp,
            };
        } catch (error) {
          binding.metrics.errors++;
          this.applyPolicy(
            binding.policy,
            binding.name,
            'SINK_FAILED',
            binding.metrics,
            item,
            error,
            1,
          );
          continue;
        }
        if (!pass) {
          binding.metrics.filtered++;
          continue;
        }
      }
      binding.push(out, item);
    }
  }

  // ---- completion (called by sink bindings too) ---------------------------------------------

  get batchSize(): number {
    return this.options.batchSize;
  }
  get lingerMs(): number {
    return this.options.lingerMs;
  }
  get random(): () => number {
    return this.options.random;
  }

  /** Releases one unit of `item`'s work; the record is done when none is left. */
  release(item: Item): void {
    if (--item.pending !== 0) return;
    if (item.seq === END_SEQ) {
      this.endItemDone(item);
      return;
    }
    item.part.tracker.complete(item.seq);
    item.part.live--;
    this.latency.observe(performance.now() - item.delivery.t0);
    this.completed(1);
  }

  /** Releases one unit of each item of a written batch; counters and latency move once per run of items. */
  releaseAll(items: readonly Item[], now: number): void {
    let done = 0;
    let delivery: Delivery | undefined;
    let same = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Item;
      if (--item.pending !== 0) continue;
      if (item.seq === END_SEQ) {
        this.endItemDone(item);
        continue;
      }
      item.part.tracker.complete(item.seq);
      item.part.live--;
      done++;
      // Items of one delivery share t0: observe them in one call.
      if (item.delivery === delivery) same++;
      else {
        if (delivery !== undefined) this.latency.observe(now - delivery.t0, same);
        delivery = item.delivery;
        same = 1;
      }
    }
    if (done === 0) return;
    if (delivery !== undefined) this.latency.observe(now - delivery.t0, same);
    this.completed(done);
  }

  /** `n` records are done: frees their in-flight room and wakes whoever waits on it. */
  private completed(n: number): void {
    this.inFlight -= n;
    this.recordsDone += n;
    if (this.paused) this.maybeResume();
    this.notifySettled();
  }

  private abandon(item: Item): void {
    if (isDead(item)) return;
    item.pending = DEAD;
    item.part.live--;
    if (item.seq !== END_SEQ) this.inFlight--;
    this.notifySettled();
  }

  /** An `end` output is done: not a record, so neither committed nor counted. */
  private endItemDone(item: Item): void {
    item.part.live--;
    this.notifySettled();
  }

  writeFailed(
    binding: SinkBinding,
    items: readonly Item[],
    error: unknown,
    attempts: number,
  ): void {
    for (const item of items) {
      if (binding.policy.kind === 'fail' && this.deadLetters.get(binding.sink) === binding) {
        binding.metrics.failed++;
        item.pending = DEAD;
        this.fatal(
          new TributaryError(
            'DEAD_LETTER_FAILED',
            `dead-letter sink ${binding.name} failed: ${errorMessage(error)}`,
            {
              cause: error,
            },
          ),
        );
        return;
      }
      this.applyPolicy(
        binding.policy,
        binding.name,
        'SINK_FAILED',
        binding.metrics,
        item,
        error,
        attempts,
      );
      // The failed output's unit of work is settled by the policy (or the run fails).
      this.release(item);
    }
  }

  retried(step: string, attempt: number, delayMs: number, error: unknown): void {
    this.emit({ type: 'retry', step, attempt, delayMs, error });
  }

  // ---- commits ------------------------------------------------------------------------------

  /** Commits each partition's done prefix; commits run one at a time. */
  private commit(): Promise<void> {
    this.committing = this.committing.then(() => this.commitNow());
    return this.committing;
  }

  private async commitNow(): Promise<void> {
    const session = this.session;
    if (session === undefined) return;
    const offsets: TopicPartitionOffset[] = [];
    for (const part of this.parts.values()) {
      const at = part.tracker.committable();
      if (!Number.isNaN(at) && !(at <= part.committed)) {
        offsets.push({ topic: part.topic, partition: part.partition, offset: at });
      }
    }
    if (offsets.length === 0) return;
    let committed: readonly TopicPartitionOffset[] = offsets;
    try {
      // State and buffered stage work must be durable before the offsets that depend on them.
      for (const step of this.steps) await step.stage.flush?.();
      await this.options.state.flush();
      const result = await session.commit(offsets);
      if (result !== undefined) committed = result;
    } catch (error) {
      const wrapped = new TributaryError('COMMIT_FAILED', `commit failed: ${errorMessage(error)}`, {
        cause: error,
      });
      this.options.logger.warn(`${this.name}: ${wrapped.message}; will retry at the next commit`);
      this.emit({ type: 'error', error: wrapped });
      return;
    }
    if (committed.length === 0) return;
    for (const o of committed) {
      const part = this.parts.get(tpId(o));
      if (part !== undefined) part.committed = o.offset;
      this.committedAt.set(tpId(o), o);
    }
    this.commits++;
    this.emit({ type: 'commit', offsets: committed });
  }

  // ---- reporting ------------------------------------------------------------------------------

  private emit(event: RuntimeEvent): void {
    const hook = this.options.onEvent;
    if (hook === undefined) return;
    try {
      hook(event);
    } catch (error) {
      this.options.logger.warn(`${this.name}: onEvent hook threw`, { error: errorMessage(error) });
    }
  }

  metrics(): MetricsSnapshot {
    const steps: Record<string, StepMetrics> = {};
    let into = this.begun;
    for (const s of this.steps) {
      steps[s.name] = { ...s.metrics, in: into, custom: { ...s.metrics.custom } };
      into = s.metrics.out;
    }
    const sinks: Record<string, SinkMetrics> = {};
    for (const b of this.allBindings()) sinks[b.name] = { ...b.metrics };
    const parts = [...this.parts.values()];
    return {
      pipeline: this.name,
      recordsIn: this.recordsIn,
      recordsDone: this.recordsDone,
      inFlight: this.inFlight,
      paused: this.paused,
      steps,
      sinks,
      latencyMs: this.latency.snapshot(),
      committed: [...this.committedAt.values()].sort(byPartition),
      commits: this.commits,
      assigned: parts.map((p) => ({ topic: p.topic, partition: p.partition })),
      lag: this.lag(),
    };
  }

  private lag(): PartitionLag[] {
    const out: PartitionLag[] = [];
    for (const end of this.session?.endOffsets?.() ?? []) {
      const part = this.parts.get(tpId(end));
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
    const stages: Record<string, unknown> = {};
    for (const s of this.steps) if (s.stage.snapshot) stages[s.name] = s.stage.snapshot();
    const state: Record<string, ReturnType<ResolvedRunOptions['state']['snapshot']>> = {};
    for (const part of this.parts.values()) state[part.id] = this.options.state.snapshot(part);
    return { stages, state, offsets: this.metrics().committed };
  }

  private summary(): RunSummary {
    const metrics = this.metrics();
    const sum = (k: 'deadLettered' | 'skipped') =>
      Object.values(metrics.steps).reduce((n, s) => n + s[k], 0) +
      Object.values(metrics.sinks).reduce((n, s) => n + s[k], 0);
    return {
      recordsIn: this.recordsIn,
      recordsDone: this.recordsDone,
      deadLettered: sum('deadLettered'),
      skipped: sum('skipped'),
      committed: metrics.committed,
      durationMs: performance.now() - this.started,
      metrics,
    };
  }
}

function mergeMeta(meta: OutMeta | undefined, e: Emit<unknown>): OutMeta {
  return {
    key: e.key !== undefined ? e.key : meta?.key,
    headers: e.headers ?? meta?.headers,
    timestamp: e.timestamp ?? meta?.timestamp,
  };
}

/** The source record as it came, plus `tributary.error.*` and `tributary.source.*` headers. */
function deadLetterRecord(
  rec: TRecord<unknown>,
  step: string,
  fallbackCode: string,
  error: unknown,
  attempts: number,
): OutRecord {
  const details =
    typeof error === 'object' && error !== null && 'details' in error
      ? (error as { details?: unknown }).details
      : undefined;
  const headers: Record<string, string | Uint8Array> = {
    ...rec.headers,
    [DeadLetterHeaders.stage]: step,
    [DeadLetterHeaders.message]: errorMessage(error),
    [DeadLetterHeaders.code]: errorCode(error) ?? fallbackCode,
    [DeadLetterHeaders.attempts]: String(attempts),
    [DeadLetterHeaders.at]: String(Date.now()),
    [DeadLetterHeaders.topic]: rec.topic,
    [DeadLetterHeaders.partition]: String(rec.partition),
    [DeadLetterHeaders.offset]: String(rec.offset),
  };
  if (details !== undefined && details !== null && Object.keys(details).length > 0) {
    try {
      headers[DeadLetterHeaders.details] = JSON.stringify(details);
    } catch {
      // Details that do not serialise are left out; the message still says what failed.
    }
  }
  return { key: rec.key, value: rec.value, headers, timestamp: rec.timestamp };
}
