import { TributaryError } from '@tributary/core';
import type { SinksErrorCode } from '../sinksErrorCode.js';

/** A typed error of this package; `retryable: false` tells the runtime not to retry it. */
export function sinkError(
  code: SinksErrorCode,
  message: string,
  options: { cause?: unknown; details?: Record<string, unknown>; retryable: boolean },
): TributaryError<SinksErrorCode> {
  return new TributaryError<SinksErrorCode>(code, message, options);
}

/** Raised by a write after close. */
export function closedError(sink: string): TributaryError<SinksErrorCode> {
  return sinkError('SINK_CLOSED', `${sink} is closed`, { retryable: false });
}
