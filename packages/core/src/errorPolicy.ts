import type { Sink } from './sink.js';

/** What happens to a record whose stage or sink still fails after its retries. */
export type ErrorPolicy =
  | { readonly kind: 'fail' }
  | { readonly kind: 'skip' }
  | { readonly kind: 'deadLetter'; readonly sink: Sink<unknown> };

/** Stop the pipeline with the error; the record's offset is not committed. */
export const fail: ErrorPolicy = { kind: 'fail' };

/** Drop the record, count it and log a warning, then go on. */
export const skip: ErrorPolicy = { kind: 'skip' };

/**
 * Write the source record, with its original key and value, to `sink`, with the
 * failing step, error, code and attempt count in `tributary.error.*` headers; then go on.
 */
export function deadLetter(sink: Sink<unknown>): ErrorPolicy {
  return { kind: 'deadLetter', sink };
}

/** Header names set on dead-letter records. */
export const DeadLetterHeaders = {
  stage: 'tributary.error.stage',
  message: 'tributary.error.message',
  code: 'tributary.error.code',
  /** JSON of the error's `details` (e.g. validation issues), when it has any. */
  details: 'tributary.error.details',
  attempts: 'tributary.error.attempts',
  at: 'tributary.error.timestamp',
  topic: 'tributary.source.topic',
  partition: 'tributary.source.partition',
  offset: 'tributary.source.offset',
} as const;
