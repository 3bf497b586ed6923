import { TributaryError } from '@tributary/core';
import type { LearnErrorCode } from '../learnErrorCode.js';

/** A TributaryError with one of this package's codes. */
export function learnError(
  code: LearnErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): TributaryError {
  return new TributaryError(code, message, { details });
}
