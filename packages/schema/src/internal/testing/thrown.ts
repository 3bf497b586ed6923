import { isTributaryError, type TributaryError } from '@tributary/core';

/** Test-only: the TributaryError that `fn` throws or rejects with (fails the test otherwise). */
export async function thrown(fn: () => unknown): Promise<TributaryError> {
  try {
    await fn();
  } catch (error) {
    if (isTributaryError(error)) return error;
    throw new Error(`expected a TributaryError, got ${String(error)}`);
  }
  throw new Error('expected a TributaryError, nothing was thrown');
}
