import { errorMessage, type OutRecord } from '@tributary/core';
import { sinkError } from './sinkError.js';

/** What a JSON sink writes for each record by default: its value. */
export const recordValue = <V>(record: OutRecord<V>): unknown => record.value;

/**
 * JSON text of `value`, or SINK_NOT_SERIALIZABLE (not retryable) naming the sink, the record's
 * place in its batch and the reason. JSON.stringify's rules apply: `undefined` fields are left
 * out, NaN and Infinity become null.
 */
export function toJson(value: unknown, sink: string, index: number): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw notSerializable(sink, index, errorMessage(cause), cause);
  }
  if (text === undefined) throw notSerializable(sink, index, `${typeof value} has no JSON form`);
  return text;
}

function notSerializable(sink: string, index: number, reason: string, cause?: unknown) {
  return sinkError(
    'SINK_NOT_SERIALIZABLE',
    `${sink}: record ${index} of the batch cannot be written as JSON: ${reason}`,
    { cause, details: { index, reason }, retryable: false },
  );
}
