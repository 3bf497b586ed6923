import { DeadLetterHeaders } from '../errorPolicy.js';
import { errorCode, errorMessage } from '../errors.js';
import type { OutRecord, TRecord } from '../record.js';

/** The source record as it came, plus `tributary.error.*` and `tributary.source.*` headers. */
export function deadLetterRecord(
  rec: TRecord<unknown>,
  step: string,
  fallbackCode: string,
  error: unknown,
  attempts: number,
): OutRecord {
  const details =
    typeof error === 'object' && error !== null && 'details' in error
      ? (error as { details?: unknown }).details
      : undefined;
  const headers: Record<string, string | Uint8Array> = {
    ...rec.headers,
    [DeadLetterHeaders.stage]: step,
    [DeadLetterHeaders.message]: errorMessage(error),
    [DeadLetterHeaders.code]: errorCode(error) ?? fallbackCode,
    [DeadLetterHeaders.attempts]: String(attempts),
    [DeadLetterHeaders.at]: String(Date.now()),
    [DeadLetterHeaders.topic]: rec.topic,
    [DeadLetterHeaders.partition]: String(rec.partition),
    [DeadLetterHeaders.offset]: String(rec.offset),
  };
  if (details !== undefined && details !== null && Object.keys(details).length > 0) {
    try {
      headers[DeadLetterHeaders.details] = JSON.stringify(details);
    } catch {
      // Details that do not serialise are left out; the message still says what failed.
    }
  }
  return { key: rec.key, value: rec.value, headers, timestamp: rec.timestamp };
}
