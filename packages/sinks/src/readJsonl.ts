import { readFile } from 'node:fs/promises';
import { errorCode, errorMessage } from '@tributary/core';
import { sinkError } from './internal/sinkError.js';

/**
 * The records of a JSONL file written by {@link jsonlSink}, parsed, in order. A last line
 * without its newline is skipped: it is what a crash mid-write leaves, and the sink never
 * acknowledged it. Any other line that is not JSON is SINK_FILE_CORRUPT (line number in
 * `details.line`); an unreadable file is SINK_FILE_FAILED.
 */
export async function readJsonl<T = unknown>(path: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw sinkError('SINK_FILE_FAILED', `could not read ${path}: ${errorMessage(cause)}`, {
      cause,
      details: { path, action: 'read', errno: errorCode(cause) },
      retryable: true,
    });
  }
  const lines = text.split('\n');
  // The piece after the last newline: '' for a whole file, a partial line after a crash.
  lines.pop();
  const records: T[] = [];
  for (let i = 0; i < lines.length; i++) {
    try {
      records.push(JSON.parse(lines[i] as string) as T);
    } catch (cause) {
      throw sinkError(
        'SINK_FILE_CORRUPT',
        `${path}: line ${i + 1} is not JSON: ${errorMessage(cause)}`,
        {
          cause,
          details: { path, line: i + 1 },
          retryable: false,
        },
      );
    }
  }
  return records;
}
