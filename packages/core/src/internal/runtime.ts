import { errorMessage, TributaryError } from '../errors.js';
import type { MetricsSnapshot, RuntimeEvent } from '../metrics.js';
import type { Pipeline } from '../pipeline.js';
import type { TopicPartition } from '../record.js';
import type { RunHandle, RunSummary } from '../runHandle.js';
import type { PipelineSnapshot } from '../runOptions.js';
import type { Sink } from '../sink.js';
import type { SourceSession } from '../source.js';
import { Backpressure } from './backpressure.js';
import { Checkpointer, restoreStages } from './checkpointer.js';
import { Committer } from './committer.js';
import { Completion } from './completion.js';
import { endInput } from './endInput.js';
import { ErrorHandler } from './errorHandler.js';
import { eventHook } from './eventHook.js';
import { Lanes } from './lanes.js';
import { Partitions } from './partitions.js';
import { Reporter } from './reporter.js';
import type { ResolvedRunOptions } from './resolveOptions.js';
import { Router } from './router.js';
import { type RunStep, runSteps } from './runStep.js';
import type { BindingHost, SinkBinding } from './sinkBinding.js';
import { StepRunner } from './stepRunner.js';

/**
 * The engine behind `run()`: starts and stops the run and wires its parts, each of which owns
 * its own state. The path of one record: {@link Lanes} (delivery, order) → {@link StepRunner}
 * (steps, retries, error policies via {@link ErrorHandler}) → {@link Router} (routes, sink
 * bindings) → {@link Completion} (done, backpressure) → {@link Committer}.
 */
export class Runtime implements RunHandle {
  readonly done: Promise<RunSummary>;
  readonly name: string;
  private readonly stopController = new AbortController();
  private readonly signal: AbortSignal = this.stopController.signal;
  private readonly emit: (event: RuntimeEvent) => void;
  private readonly steps: readonly RunStep[];
  private readonly sinks: Set<Sink<unknown>>;
  private readonly partitions = new Partitions(this.signal);
  private readonly backpressure: Backpressure;
  private readonly completion: Completion;
  private readonly errors: ErrorHandler;
  private readonly router: Router;
  private readonly runner: StepRunner;
  private readonly lanes: Lanes;
  private readonly committer: Committer;
  private readonly checkpointer: Checkpointer | undefined;
  private readonly reporter: Reporter;
  private readonly starting: Promise<void>;
  private session: SourceSession | undefined;
  private stopping: Promise<RunSummary> | undefined;
  private failure: unknown;
  private ended = false;
  private resolveDone!: (s: RunSummary) => void;
  private rejectDone!: (e: unknown) => void;
  private readonly onSignal = () => void this.stop();

  constructor(
    private readonly pipeline: Pipeline<unknown>,
    private readonly options: ResolvedRunOptions,
  ) {
    const name = options.name ?? pipeline.source.name;
    this.name = name;
    const { logger, state } = options;
    const emit = eventHook(options.onEvent, logger, name);
    this.emit = emit;
    const session = () => this.session;
    const fatal = (error: unknown) => this.fatal(error);
    this.steps = runSteps(pipeline);
    this.backpressure = new Backpressure(options.maxInFlight, this.partitions, session, emit);
    const completion = new Completion(this.backpressure);
    this.completion = completion;
    const bindingHost: BindingHost = {
      batchSize: options.batchSize,
      lingerMs: options.lingerMs,
      signal: this.signal,
      random: options.random,
      releaseAll: (items, now) => completion.releaseAll(items, now),
      writeFailed: (binding, items, error, attempts) =>
        this.errors.writeFailed(binding, items, error, attempts),
      retried: (step, attempt, delayMs, error) =>
        emit({ type: 'retry', step, attempt, delayMs, error }),
    };
    this.errors = new ErrorHandler({
      name,
      logger,
      bindingHost,
      sinkRetry: options.sinkRetry,
      completion,
      emit,
      fatal,
    });
    this.router = new Router(pipeline.routes, options, bindingHost, this.errors);
    this.runner = new StepRunner(this.steps, {
      retry: options.retry,
      onError: options.onError,
      random: options.random,
      errors: this.errors,
      router: this.router,
      completion,
      emit,
    });
    this.lanes = new Lanes({
      ordering: options.ordering,
      concurrency: options.concurrency,
      state,
      logger,
      partitions: this.partitions,
      backpressure: this.backpressure,
      runner: this.runner,
      completion,
      fatal,
    });
    this.checkpointer =
      options.checkpoint === undefined
        ? undefined
        : new Checkpointer(options.checkpoint, { name, logger, steps: this.steps, emit });
    this.committer = new Committer({
      name,
      logger,
      state,
      steps: this.steps,
      partitions: this.partitions,
      checkpoint: this.checkpointer,
      session,
      emit,
    });
    this.reporter = new Reporter({
      name,
      steps: this.steps,
      state,
      partitions: this.partitions,
      lanes: this.lanes,
      backpressure: this.backpressure,
      completion,
      committer: this.committer,
      checkpointer: this.checkpointer,
      bindings: () => this.bindings(),
      session,
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
      ...this.router.bindings().map((b) => b.sink),
      ...ErrorHandler.sinksOf([
        options.onError,
        ...this.steps.flatMap((s) => (s.onError ? [s.onError] : [])),
        ...this.router.policies(),
      ]),
    ]);
    this.starting = this.start();
  }

  metrics(): MetricsSnapshot {
    return this.reporter.metrics();
  }

  snapshot(): PipelineSnapshot {
    return this.reporter.snapshot();
  }

  stop(): Promise<RunSummary> {
    if (this.stopping === undefined) {
      this.lanes.closed = true;
      this.backpressure.stop();
      this.stopping = this.shutdown();
    }
    return this.stopping;
  }

  // ---- start -------------------------------------------------------------------------------

  private async start(): Promise<void> {
    try {
      const restore = this.options.restore;
      if (restore !== undefined) restoreStages(this.steps, restore);
      else await this.checkpointer?.restore();
      for (const step of this.steps) {
        await step.stage.open?.({ stage: step.name, log: this.options.logger });
      }
      for (const sink of this.sinks) await sink.open?.();
      this.committer.startTimer(this.options.commitIntervalMs);
      this.session = await this.pipeline.source.start({
        deliver: (records) => this.lanes.deliver(records),
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

  // ---- assignment ----------------------------------------------------------------------------

  private async assigned(tps: readonly TopicPartition[]): Promise<void> {
    const { state, restore } = this.options;
    await state.assign(tps);
    for (const tp of tps) {
      const part = this.partitions.of(tp);
      const snap = restore?.state[part.id];
      if (snap !== undefined) state.restore(tp, snap);
    }
    this.emit({ type: 'assigned', partitions: tps });
  }

  private async revoked(tps: readonly TopicPartition[]): Promise<void> {
    const parts = tps.flatMap((tp) => this.partitions.get(tp) ?? []);
    for (const part of parts) {
      part.revoked = true;
      // Records not started yet are abandoned: never done, so never committed.
      this.lanes.abandonQueued(part);
      part.abort.abort(new TributaryError('STOPPED', 'partition revoked'));
    }
    await Promise.all(this.bindings().map((b) => b.drain()));
    await this.completion.waitFor(
      () => parts.every((p) => p.live === 0) || this.failure !== undefined || this.signal.aborted,
    );
    await this.committer.commit(true);
    await this.options.state.revoke(tps);
    for (const part of parts) {
      this.partitions.delete(part);
      this.lanes.forget(part);
    }
    this.emit({ type: 'revoked', partitions: tps });
  }

  // ---- stop ----------------------------------------------------------------------------------

  private async stopWhenSettled(): Promise<void> {
    await this.completion.waitFor(() => this.ended && this.partitions.live() === 0);
    void this.stop();
  }

  private async shutdown(): Promise<RunSummary> {
    const { logger, drainTimeoutMs } = this.options;
    // A stop during start waits for the source session, so it can be closed.
    await this.starting;
    try {
      // Stop fetching; records delivered from now on are ignored and stay uncommitted.
      this.backpressure.pause();
      let drainTimer: ReturnType<typeof setTimeout> | undefined;
      const drained = await Promise.race([
        this.drainAll()
          .then(() => this.endInput())
          .then(() => true),
        new Promise<boolean>((r) => {
          drainTimer = setTimeout(() => r(false), drainTimeoutMs).unref();
        }),
      ]);
      // A pending timer would hold this run (its bus and state) for drainTimeoutMs more.
      clearTimeout(drainTimer);
      if (!drained)
        logger.warn(`${this.name}: drain timed out; unfinished records stay uncommitted`);
      // Ends retry waits; records still retrying are abandoned, uncommitted.
      this.stopController.abort(new TributaryError('STOPPED', 'pipeline stopped'));
      // Past the drain timeout nothing more is awaited: revokes from closing the session
      // must not wait for stages that never settle.
      this.completion.notify();
      this.committer.stopTimer();
      await this.committer.commit(true);
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
      this.committer.stopTimer();
      process.removeListener('SIGINT', this.onSignal);
      process.removeListener('SIGTERM', this.onSignal);
    }
    const summary = this.reporter.summary();
    this.emit({ type: 'stopped', ...(this.failure === undefined ? {} : { error: this.failure }) });
    if (this.failure === undefined) this.resolveDone(summary);
    else this.rejectDone(this.failure);
    return summary;
  }

  private fatal(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.lanes.halted = true;
    this.options.logger.error(`${this.name}: stopping on error`, { error: errorMessage(error) });
    this.emit({ type: 'error', error });
    void this.stop();
  }

  /** Waits until every live record is done and sink buffers are written. */
  private async drainAll(): Promise<void> {
    for (;;) {
      await Promise.all(this.bindings().map((b) => b.drain()));
      await this.completion.waitFor(
        () => this.partitions.live() === 0 || this.failure !== undefined,
      );
      if (this.bindings().every((b) => b.buffered === 0)) return;
    }
  }

  /** Stages' `end` hooks, then a drain of what they emitted. */
  private async endInput(): Promise<void> {
    const finished = await endInput(
      {
        state: this.options.state,
        logger: this.options.logger,
        onError: this.options.onError,
        partitions: this.partitions,
        runner: this.runner,
        errors: this.errors,
        completion: this.completion,
        stopped: () => this.failure !== undefined || this.signal.aborted,
        fatal: (error) => this.fatal(error),
      },
      this.ended ? 'end' : 'stop',
    );
    if (finished) await this.drainAll();
  }

  private bindings(): SinkBinding[] {
    return [...this.router.bindings(), ...this.errors.bindings()];
  }
}
