import type { ErrorPolicy } from './errorPolicy.js';
import { TributaryError } from './errors.js';
import type { RetryOptions } from './retry.js';
import { isRoute, type Route, to } from './route.js';
import type { Sink } from './sink.js';
import type { Source } from './source.js';
import type { Stage, StageObject } from './stage.js';

/** Options of one `pipe` step. */
export interface StepOptions {
  /** Name in metrics, logs and dead-letter headers. Default: the stage's name, or `stage-N`. */
  readonly name?: string;
  /** Retry of this step's failures. Default: the stage's own `retry`, else the run's `retry`. */
  readonly retry?: RetryOptions;
  /** Policy once retries are spent. Default: the stage's own `onError`, else the run's `onError`. */
  readonly onError?: ErrorPolicy;
}

/** A step as the runtime runs it. */
export interface Step {
  /** Unique name of the step in the pipeline (metrics, logs, dead-letter headers). */
  readonly name: string;
  /** The stage in object form (a function stage is wrapped as its `process`). */
  readonly stage: StageObject<unknown, unknown>;
  /** The step's retry; `undefined` falls back to the run's `retry`. */
  readonly retry: RetryOptions | undefined;
  /** The step's error policy; `undefined` falls back to the run's `onError`. */
  readonly onError: ErrorPolicy | undefined;
}

/** A complete pipeline, ready for `run`. Immutable. */
export interface Pipeline<V = unknown> {
  /** Brand telling a pipeline apart from other objects. */
  readonly _tag: 'Pipeline';
  /** Where the records come from. */
  readonly source: Source<unknown, unknown>;
  /** The steps, in the order they run. */
  readonly steps: readonly Step[];
  /** Where the outputs go; each output is offered to every route. */
  readonly routes: readonly Route<V>[];
}

/** An immutable builder: each `pipe` returns a new builder whose value type is the stage's output. */
export interface PipelineBuilder<V> {
  /** The steps piped so far, in order. */
  readonly steps: readonly Step[];
  /** Adds a stage taking `V`; the result carries the stage's output type. */
  pipe<O>(stage: Stage<V, O>, options?: StepOptions): PipelineBuilder<O>;
  /** Ends the pipeline: every output goes to each sink, or to each route whose predicate holds. */
  to(...targets: readonly [Sink<V> | Route<V>, ...(Sink<V> | Route<V>)[]]): Pipeline<V>;
}

/** Starts a pipeline at `source`. */
export function pipeline<V, Raw = unknown>(source: Source<V, Raw>): PipelineBuilder<V> {
  if (typeof source?.start !== 'function') {
    throw new TributaryError('INVALID_PIPELINE', 'pipeline(source): source must have a start()');
  }
  // The runtime hands `decode` exactly the raw values this source delivered.
  return builder<V>(source as unknown as Source<unknown, unknown>, []);
}

function builder<V>(source: Source<unknown, unknown>, steps: readonly Step[]): PipelineBuilder<V> {
  return {
    steps,
    pipe<O>(stage: Stage<V, O>, options: StepOptions = {}): PipelineBuilder<O> {
      return builder<O>(source, [...steps, toStep(stage, options, steps)]);
    },
    to(...targets) {
      if (targets.length === 0) {
        throw new TributaryError('INVALID_PIPELINE', 'to(): give at least one sink or route');
      }
      const routes = targets.map((t, i) => {
        if (isRoute(t)) return t as Route<V>;
        if (typeof (t as Sink<V>)?.write !== 'function') {
          throw new TributaryError(
            'INVALID_PIPELINE',
            `to(): target ${i} is neither a sink (with write) nor a route`,
          );
        }
        return to(t as Sink<V>);
      });
      return { _tag: 'Pipeline', source, steps, routes };
    },
  };
}

function toStep<I, O>(stage: Stage<I, O>, options: StepOptions, before: readonly Step[]): Step {
  const object: StageObject<I, O> | undefined =
    typeof stage === 'function' ? { process: stage } : stage;
  if (typeof object?.process !== 'function') {
    throw new TributaryError(
      'INVALID_PIPELINE',
      `pipe(): stage ${before.length + 1} must be a function or an object with process()`,
    );
  }
  const fnName = typeof stage === 'function' && stage.name !== '' ? stage.name : undefined;
  const given = options.name ?? object.name;
  const taken = (n: string) => before.some((s) => s.name === n);
  const base = given ?? fnName ?? 'stage';
  const name = given !== undefined || !taken(base) ? base : `${base}-${before.length + 1}`;
  if (taken(name)) {
    throw new TributaryError(
      'INVALID_PIPELINE',
      `pipe(): two steps are named "${name}"; give one a distinct { name }`,
    );
  }
  return {
    name,
    stage: object as StageObject<unknown, unknown>,
    retry: options.retry ?? object.retry,
    onError: options.onError ?? object.onError,
  };
}
