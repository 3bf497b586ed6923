import { TributaryError } from '@tributary/core';
import type { CliErrorCode } from '../cliErrorCode.js';

/** A CLI_USAGE error (exit code 1): the command line asked for something that cannot be done. */
export function usageError(message: string, details: Record<string, unknown> = {}) {
  return new TributaryError<CliErrorCode>('CLI_USAGE', message, { details, retryable: false });
}

/** A CLI error of another code (exit code 2). */
export function cliError(
  code: CliErrorCode,
  message: string,
  details: Record<string, unknown> = {},
) {
  return new TributaryError<CliErrorCode>(code, message, { details, retryable: false });
}
