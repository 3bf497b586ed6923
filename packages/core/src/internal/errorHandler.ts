import type { ErrorPolicy } from '../errorPolicy.js';
import { errorMessage, TributaryError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RuntimeEvent } from '../metrics.js';
import type { Sink } from '../sink.js';
import type { Completion } from './completion.js';
import { deadLetterRecord } from './deadLetterRecord.js';
import { DEAD, type Item } from './item.js';
import { type BindingHost, SinkBinding } from './sinkBinding.js';

/** A step or sink binding whose record failed for good: names the failure and counts it. */
export interface FailedAt {
  readonly name: string;
  /** The error code when the error has none of its own (STAGE_FAILED, SINK_FAILED...). */
  readonly code: string;
  readonly metrics: { deadLettered: number; skipped: number; failed: number };
}

/** What the error handler needs from the runtime. */
export interface ErrorHandlerHost {
  readonly name: string;
  readonly logger: Logger;
  readonly bindingHost: BindingHost;
  readonly sinkRetry: SinkBinding['retry'];
  readonly completion: Completion;
  emit(event: RuntimeEvent): void;
  /** Stops the run with `error`. */
  fatal(error: unknown): void;
}

/**
 * Applies error policies to records that failed for good: skip (logged), dead letter (the
 * source record with error headers, written through its own binding) or fail the run.
 */
export class ErrorHandler {
  private readonly deadLetters = new Map<Sink<unknown>, SinkBinding>();

  constructor(private readonly host: ErrorHandlerHost) {}

  /** The dead-letter sinks `policies` name. */
  static sinksOf(policies: readonly ErrorPolicy[]): Sink<unknown>[] {
    return policies.flatMap((p) => (p.kind === 'deadLetter' ? [p.sink] : []));
  }

  /** Bindings of the dead-letter sinks used so far. */
  bindings(): IterableIterator<SinkBinding> {
    return this.deadLetters.values();
  }

  /** `item` failed for good at `at` after `attempts`: apply `policy`. */
  apply(at: FailedAt, policy: ErrorPolicy, item: Item, error: unknown, attempts: number): void {
    const { host } = this;
    const record = {
      topic: item.rec.topic,
      partition: item.rec.partition,
      offset: item.rec.offset,
    };
    if (policy.kind === 'skip') {
      at.metrics.skipped++;
      host.logger.warn(`${host.name}: skipped a record that failed in ${at.name}`, {
        ...record,
        error: errorMessage(error),
      });
      host.emit({ type: 'skip', step: at.name, record, error, attempts });
      return;
    }
    if (policy.kind === 'deadLetter') {
      at.metrics.deadLettered++;
      this.deadLetterBinding(policy.sink).push(
        deadLetterRecord(item.rec, at.name, at.code, error, attempts),
        item,
      );
      host.emit({ type: 'dead-letter', step: at.name, record, error, attempts });
      return;
    }
    at.metrics.failed++;
    item.pending = DEAD;
    host.fatal(
      new TributaryError(
        at.code,
        `${at.name} failed on ${record.topic}/${record.partition}@${record.offset}: ${errorMessage(error)}`,
        {
          cause: error,
          details: { step: at.name, ...record, attempts },
        },
      ),
    );
  }

  /** A sink batch failed for good: its binding's policy for each record (a dead-letter sink's failure is fatal). */
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
        this.host.fatal(
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
      this.apply(binding, binding.policy, item, error, attempts);
      // The failed output's unit of work is settled by the policy (or the run fails).
      this.host.completion.release(item);
    }
  }

  private deadLetterBinding(sink: Sink<unknown>): SinkBinding {
    let binding = this.deadLetters.get(sink);
    if (binding === undefined) {
      // A dead-letter write that fails for good stops the pipeline: there is nowhere left to put the record.
      const { sinkRetry, bindingHost } = this.host;
      binding = new SinkBinding(sink.name, sink, sinkRetry, { kind: 'fail' }, bindingHost);
      this.deadLetters.set(sink, binding);
    }
    return binding;
  }
}
