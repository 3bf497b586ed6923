import type { ErrorPolicy } from '../errorPolicy.js';
import type { RuntimeEvent } from '../metrics.js';
import { backoffDelay, isRetryable, type RetryOptions } from '../retry.js';
import { sleep } from '../sleep.js';
import { isEmit, isMany, outputKind } from '../stage.js';
import { type Chain, type ChainHost, compileSteps } from './compileSteps.js';
import type { Completion } from './completion.js';
import type { ErrorHandler } from './errorHandler.js';
import { isThenable } from './isThenable.js';
import type { RecordContext } from './recordContext.js';
import type { Router } from './router.js';
import { mergeMeta, type RunStep } from './runStep.js';

/** Undefined when a record's run finished synchronously, else the promise of its end. */
export type Flow = undefined | Promise<void>;

/** What the step runner needs around it. */
export interface StepRunnerHost {
  readonly retry: RetryOptions | undefined;
  readonly onError: ErrorPolicy;
  readonly random: () => number;
  readonly errors: ErrorHandler;
  readonly router: Router;
  readonly completion: Completion;
  emit(event: RuntimeEvent): void;
}

/**
 * Runs a record's value through the steps and hands the result to the router: synchronously
 * while stages are, settling promises, fanning out many()/emit(), retrying with backoff and
 * applying error policies. The steps compiled into one function are its fast path.
 */
export class StepRunner implements ChainHost<RecordContext> {
  /** All steps in one generated function (see compileSteps); undefined where codegen is off. */
  readonly chain: Chain<RecordContext> | undefined;

  constructor(
    readonly steps: readonly RunStep[],
    private readonly host: StepRunnerHost,
  ) {
    this.chain = compileSteps<RunStep, RecordContext>(steps, this, host.router);
  }

  /**
   * Runs `value` through steps `from`… and on to the sinks; `attempt` is the first step's try.
   * Returns a promise only if something was async.
   */
  runFrom(from: number, value: unknown, ctx: RecordContext, attempt = 1): Flow {
    const steps = this.steps;
    let v = value;
    let tries = attempt;
    for (let i = from; i < steps.length; i++) {
      const step = steps[i] as RunStep;
      ctx.step = step;
      let out: unknown;
      try {
        out = step.stage.process(v, ctx);
      } catch (error) {
        return this.failed(ctx, v, error, tries);
      }
      if (out === undefined) return undefined;
      // Plain objects (the usual result) skip the checks; many()/emit() results are class instances.
      if (typeof out === 'object' && out !== null && out.constructor !== Object) {
        return this.settle(ctx, v, out, tries);
      }
      step.metrics.out++;
      v = out;
      tries = 1;
    }
    this.host.router.toSinks(ctx, v);
    return undefined;
  }

  /** `ctx.step` returned a promise, a thenable, many()/emit(), or a class instance: handle it. */
  settle(ctx: RecordContext, input: unknown, out: object, attempt = 1): Flow {
    const step = ctx.step;
    // Checked in order of cost: native promises, our wrappers, then other thenables.
    if (!(out instanceof Promise)) {
      if (outputKind(out) !== undefined) return this.fanOut(ctx, out);
      if (!isThenable(out)) {
        step.metrics.out++;
        return this.runFrom(step.index + 1, out, ctx);
      }
    }
    const { item, meta } = ctx;
    return Promise.resolve(out).then(
      (o) => this.afterStep(ctx.at(item, step, meta), o),
      (error) => this.failed(ctx.at(item, step, meta), input, error, attempt),
    );
  }

  /** `ctx.step` threw or rejected on `value`: retry with backoff, or apply the error policy. */
  failed(ctx: RecordContext, value: unknown, error: unknown, attempt: number): Flow {
    const { step, item } = ctx;
    const { host } = this;
    step.metrics.errors++;
    const retry = step.retry ?? host.retry;
    if (
      retry !== undefined &&
      attempt <= retry.retries &&
      (retry.retryable ?? isRetryable)(error) &&
      !item.part.signal.aborted
    ) {
      const delay = backoffDelay(retry, attempt, host.random);
      step.metrics.retries++;
      host.emit({ type: 'retry', step: step.name, attempt, delayMs: delay, error });
      const meta = ctx.meta;
      return sleep(delay, item.part.signal).then(
        () => this.runFrom(step.index, value, ctx.at(item, step, meta), attempt + 1),
        () => host.completion.abandon(item),
      );
    }
    host.errors.apply(step, step.onError ?? host.onError, item, error, attempt);
    return undefined;
  }

  private afterStep(ctx: RecordContext, out: unknown): Flow {
    if (out === undefined) return undefined;
    const step = ctx.step;
    if (outputKind(out) !== undefined) return this.fanOut(ctx, out as object);
    step.metrics.out++;
    return this.runFrom(step.index + 1, out, ctx);
  }

  /** many()/emit(): each output through the later steps in turn, emit()'s meta on its own. */
  private fanOut(ctx: RecordContext, out: object): Flow {
    const { step, item, meta } = ctx;
    const outputs = isMany(out) ? out.items : [out];
    step.metrics.out += outputs.length;
    const from = step.index + 1;
    let k = 0;
    const next = (): Flow => {
      while (k < outputs.length) {
        const o = outputs[k++];
        const flow = isEmit(o)
          ? this.runFrom(from, o.value, ctx.at(item, step, mergeMeta(meta, o)))
          : this.runFrom(from, o, ctx.at(item, step, meta));
        if (flow !== undefined) return flow.then(next);
      }
      return undefined;
    };
    return next();
  }
}
