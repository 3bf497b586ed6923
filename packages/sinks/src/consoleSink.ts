import { inspect } from 'node:util';
import {
  errorMessage,
  headerToString,
  keyToString,
  type OutRecord,
  type Sink,
} from '@tributary/core';
import { closedError, sinkError } from './internal/sinkError.js';

/** Where {@link consoleSink} writes: a Node writable stream such as `process.stdout`. */
export interface ConsoleStream {
  /** Writes text; `callback` runs once the stream took it (as Node's streams do). */
  write(chunk: string, callback: (error?: Error | null) => void): boolean;
  /** True for a terminal: colours default on then (unless NO_COLOR is set). */
  readonly isTTY?: boolean;
}

/** Options of {@link consoleSink}. */
export interface ConsoleSinkOptions<V> {
  /** Name in metrics and logs. Default `console`. */
  readonly name?: string;
  /** Default `process.stdout`. */
  readonly stream?: ConsoleStream;
  /** Colours; default: only when the stream is a TTY and NO_COLOR is not set. */
  readonly colors?: boolean;
  /** Show headers after the value. Default false. */
  readonly headers?: boolean;
  /** The text of each record's value. Default: `util.inspect` on one line (strings as they are). */
  readonly format?: (record: OutRecord<V>) => string;
}

const paint = (on: boolean, code: number, text: string) =>
  on ? `\u001b[${code}m${text}\u001b[39m` : text;

/**
 * Prints one line per record for development: time, key and value (any value, via
 * `util.inspect`). `write` resolves once the stream has taken the batch's text.
 */
export function consoleSink<V>(options: ConsoleSinkOptions<V> = {}): Sink<V> {
  const name = options.name ?? 'console';
  const stream = options.stream ?? process.stdout;
  const colors = options.colors ?? (stream.isTTY === true && !process.env.NO_COLOR);
  const text =
    options.format ??
    ((r: OutRecord<V>) =>
      typeof r.value === 'string'
        ? r.value
        : inspect(r.value, { colors, depth: 6, breakLength: Number.POSITIVE_INFINITY }));
  let closed = false;

  const line = (r: OutRecord<V>): string => {
    const time = paint(colors, 90, new Date(r.timestamp).toISOString());
    const key = r.key === null ? '' : ` ${paint(colors, 36, keyToString(r.key))}`;
    let out = `${time}${key} ${text(r)}`;
    if (options.headers === true) {
      const hs = Object.entries(r.headers).map(([k, v]) => `${k}=${headerToString(v)}`);
      if (hs.length > 0) out += ` ${paint(colors, 33, hs.join(' '))}`;
    }
    return `${out}\n`;
  };

  return {
    name,
    write: (records) => {
      if (closed) return Promise.reject(closedError(name));
      const chunk = records.map(line).join('');
      return new Promise((resolve, reject) => {
        stream.write(chunk, (error) => {
          if (error == null) return resolve();
          reject(
            sinkError('SINK_FILE_FAILED', `${name}: could not write: ${errorMessage(error)}`, {
              cause: error,
              details: { action: 'write' },
              retryable: true,
            }),
          );
        });
      });
    },
    close: async () => {
      closed = true;
    },
  };
}
