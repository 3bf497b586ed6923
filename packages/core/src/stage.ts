import type { ErrorPolicy } from './errorPolicy.js';
import type { Logger } from './logger.js';
import type { Headers, Key } from './record.js';
import type { RetryOptions } from './retry.js';
import type { KeyedState } from './state.js';

/** What a stage sees besides the value: the source record's coordinates, its key's state, a logger. */
export interface StageContext {
  /** Topic of the source record. */
  readonly topic: string;
  /** Partition of the source record. */
  readonly partition: number;
  /** Offset of the source record in its partition. */
  readonly offset: number;
  /** Key of the source record (`null` when it has none). */
  readonly key: Key;
  /** Timestamp of the source record, in milliseconds since the Unix epoch. */
  readonly timestamp: number;
  /** Headers of the source record. */
  readonly headers: Headers;
  /** State of this record's key, private to this stage; moves with the partition. */
  readonly state: KeyedState;
  /** The run's logger. */
  readonly log: Logger;
  /** Adds to a custom counter of this stage, reported in the runtime metrics. */
  count(metric: string, by?: number): void;
  /** Aborted when the pipeline stops; long waits should honour it. */
  readonly signal: AbortSignal;
  /**
   * This stage's state of every key of this record's partition, e.g. to close other keys'
   * windows on an event-time timer. Always set by the runtime; optional only so hand-made
   * contexts in tests need not provide it.
   */
  readonly partitionState?: PartitionState;
  /**
   * This stage's state on the same partition number of another `topic` of a multi-topic
   * source, e.g. a co-partitioned table read by `tableJoin`. Set by the runtime;
   * optional only so hand-made contexts in tests need not provide it.
   */
  partitionStateOn?(topic: string): PartitionState;
}

/** A stage's keyed state on one partition, across keys. */
export interface PartitionState {
  /** State of `key`: the slot `ctx.state` is while a record of that key is processed. */
  of(key: Key): KeyedState;
  /** Keys with state, in their `keyToString` form (which `of` accepts as is). */
  keys(): Iterable<string>;
}

/** Passed to a stage's `end`, once per partition whose input ended. */
export interface StageEndContext {
  /** Name of the step whose input ended. */
  readonly stage: string;
  /** Topic of the partition whose input ended. */
  readonly topic: string;
  /** Number of the partition whose input ended. */
  readonly partition: number;
  /** `'end'`: a bounded source (`stopAtEnd`) read its last record; `'stop'`: `stop()` was called. */
  readonly reason: 'end' | 'stop';
  /** This stage's keyed state on this partition. */
  readonly partitionState: PartitionState;
  /** The run's logger. */
  readonly log: Logger;
  /** Adds to a custom counter of this stage, reported in the runtime metrics. */
  count(metric: string, by?: number): void;
  /** Aborted on a revoke of the partition, or once `stop()` has drained or timed out; long waits should honour it. */
  readonly signal: AbortSignal;
}

/** Passed to a stage's `open`. */
export interface StageOpenContext {
  /** Name of the step being opened. */
  readonly stage: string;
  /** The run's logger. */
  readonly log: Logger;
}

// One registered symbol marks both wrappers: one property read tells the runtime what a
// result is, and copies of this package loaded twice (ESM and CJS) still agree.
const OUTPUT: unique symbol = Symbol.for('tributary.output');

/** Several outputs from one input; see {@link many}. */
export interface Many<O> {
  /** Marks the result as several outputs. */
  readonly [OUTPUT]: 'many';
  /** The outputs, in order; each may be an {@link emit} with its own key. */
  readonly items: readonly (O | Emit<O>)[];
}

/** One output with its own key, headers or timestamp; see {@link emit}. */
export interface Emit<O> {
  /** Marks the result as one output with its own metadata. */
  readonly [OUTPUT]: 'emit';
  /** The output value. */
  readonly value: O;
  /** Key of the output; unset keeps the source record's key (`null` from `end`). */
  readonly key?: Key | undefined;
  /** Headers of the output; unset keeps the source record's headers (none from `end`). */
  readonly headers?: Headers | undefined;
  /** Milliseconds since the Unix epoch; unset keeps the source record's (the time of the call from `end`). */
  readonly timestamp?: number | undefined;
}

/** What a stage returns: a value, several ({@link many}), one with a new key ({@link emit}), or `undefined` to drop. */
export type StageOutput<O> = O | Many<O> | Emit<O> | undefined;

/** A stage's return: an output or a promise of one. */
export type StageResult<O> = StageOutput<O> | Promise<StageOutput<O>>;

/** The function form of a stage. */
export type StageFn<I, O> = (value: I, ctx: StageContext) => StageResult<O>;

/** The object form of a stage, with lifecycle hooks. */
export interface StageObject<I, O> {
  /** Default step name; `pipe(stage, { name })` overrides it. */
  readonly name?: string;
  /** Turns one value into its outputs; `undefined` drops the record. */
  // A property, not a method, so a stage of the wrong input type is a compile error.
  readonly process: (value: I, ctx: StageContext) => StageResult<O>;
  /** Default retry of this stage; `pipe(stage, { retry })` overrides it. */
  readonly retry?: RetryOptions;
  /** Default error policy of this stage (e.g. a validator's quarantine); `pipe` options override it. */
  readonly onError?: ErrorPolicy;
  /** Called once before the first record. */
  open?(ctx: StageOpenContext): void | Promise<void>;
  /**
   * Called once per assigned partition when input ends: a bounded source reached its end or
   * `stop()` was called (not on a revoke: keyed state moves with the partition, so its new
   * owner carries on). Outputs, as from `process` (`emit` sets their key and timestamp), go
   * through the later steps to the sinks under the same error policies, before the final
   * commit. Steps end in pipeline order, so a later stage's `end` sees earlier ones' outputs.
   * Not retried; a throw goes to this step's error policy. Skipped when the run failed or the
   * drain timed out.
   */
  end?(ctx: StageEndContext): StageResult<O>;
  /** Called before each commit: make buffered work durable. */
  flush?(): void | Promise<void>;
  /** Called once on stop, after the last record. */
  close?(): void | Promise<void>;
  /** Stage-wide state (e.g. a model) as plain data, for checkpoints. */
  snapshot?(): unknown;
  /** Adopts what `snapshot` returned (from `run(…, { restore })`), before the first record. */
  restore?(snapshot: unknown): void;
}

/** A pipeline step from `I` to `O`: a function or an object. */
export type Stage<I, O> = StageFn<I, O> | StageObject<I, O>;

// Class instances, not object literals: the runtime skips every wrapper check for plain
// objects (constructor === Object), the common stage result.
class ManyOutput<O> implements Many<O> {
  readonly [OUTPUT] = 'many' as const;
  constructor(readonly items: readonly (O | Emit<O>)[]) {}
}

class EmitOutput<O> implements Emit<O> {
  readonly [OUTPUT] = 'emit' as const;
  constructor(
    readonly value: O,
    readonly key: Key | undefined,
    readonly headers: Headers | undefined,
    readonly timestamp: number | undefined,
  ) {}
}

/** Returns several outputs from one input, in order. */
export function many<O>(items: readonly (O | Emit<O>)[]): Many<O> {
  return new ManyOutput(items);
}

/** Returns one output with its own key, headers or timestamp (e.g. re-keying). */
export function emit<O>(
  value: O,
  meta: { key?: Key; headers?: Headers; timestamp?: number } = {},
): Emit<O> {
  return new EmitOutput(value, meta.key, meta.headers, meta.timestamp);
}

/** True for the result of {@link many}. */
export function isMany(x: unknown): x is Many<unknown> {
  return outputKind(x) === 'many';
}

/** True for the result of {@link emit}. */
export function isEmit(x: unknown): x is Emit<unknown> {
  return outputKind(x) === 'emit';
}

/** 'many' or 'emit' for the wrappers, undefined for anything else. */
export function outputKind(x: unknown): 'many' | 'emit' | undefined {
  return typeof x === 'object' && x !== null
    ? (x as { [OUTPUT]?: 'many' | 'emit' })[OUTPUT]
    : undefined;
}
