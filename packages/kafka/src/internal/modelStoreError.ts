import { errorMessage, TributaryError } from '@tributary/core';
import { isTributaryErrorLike } from './kafkaError.js';

/** KAFKA_MODEL_STORE_FAILED for `what` on `topic`; a typed error given as the cause is kept as it is. */
export function modelStoreError(topic: string, what: string, error?: unknown): TributaryError {
  return error !== undefined && isTributaryErrorLike(error)
    ? (error as TributaryError)
    : new TributaryError(
        'KAFKA_MODEL_STORE_FAILED',
        `model store ${topic}: ${what}${error === undefined ? '' : `: ${errorMessage(error)}`}`,
        { cause: error, details: { topic } },
      );
}
