import type { Sink } from './sink.js';

/** What happens to a record whose stage or sink still fails after its retries. */
export type ErrorPolicy =
  | {
      /** Stop the pipeline with the error (see {@link fail}). */
      readonly kind: 'fail';
    }
  | {
      /** Drop the record, count and log it (see {@link skip}). */
      readonly kind: 'skip';
    }
  | {
      /** Write the record to a dead-letter sink (see {@link deadLetter}). */
      readonly kind: 'deadLetter';
      /** Where the failed source records go, with the error in headers. */
      readonly sink: Sink<unknown>;
    };

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
  /** Name of the step or sink route where the record failed. */
  stage: 'tributary.error.stage',
  /** The error's message. */
  message: 'tributary.error.message',
  /** The error's `code`, else the runtime's code for the place (e.g. `STAGE_FAILED`). */
  code: 'tributary.error.code',
  /** JSON of the error's `details` (e.g. validation issues), when it has any. */
  details: 'tributary.error.details',
  /** Attempts made, retries included, as a decimal string. */
  attempts: 'tributary.error.attempts',
  /** When the record was dead-lettered, in milliseconds since the Unix epoch (decimal string). */
  at: 'tributary.error.timestamp',
  /** Topic of the source record. */
  topic: 'tributary.source.topic',
  /** Partition of the source record, as a decimal string. */
  partition: 'tributary.source.partition',
  /** Offset of the source record, as a decimal string. */
  offset: 'tributary.source.offset',
} as const;
