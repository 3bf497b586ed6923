import {
  backoffDelay,
  errorMessage,
  invalidOption,
  type OutRecord,
  type RetryOptions,
  type Sink,
  sleep,
} from '@tributary/core';
import { retryAfterMs } from './internal/retryAfterMs.js';
import { closedError, sinkError } from './internal/sinkError.js';
import { recordValue, toJson } from './internal/toJson.js';

/** Options of {@link httpSink}. */
export interface HttpSinkOptions<V> {
  /** Name in metrics, logs and dead-letter headers. Default `http:<origin><path>`. */
  readonly name?: string;
  /** Most records per request; a larger write is sent as several requests, in order. Default 500. */
  readonly batchSize?: number;
  /** Time allowed for one request, answer included. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /**
   * Retries of 5xx, 408, 429, network errors and timeouts, with core's backoff; a
   * `Retry-After` answer is waited instead (up to `maxDelayMs`). Default 5 retries, 200 ms
   * doubling to 10 s, full jitter. Once they are spent the write fails for good
   * (SINK_HTTP_UNAVAILABLE, not retried again by the runtime).
   */
  readonly retry?: RetryOptions;
  /** Extra request headers (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** What each element of the JSON array body holds. Default: the record's value. */
  readonly format?: (record: OutRecord<V>) => unknown;
}

const EXCERPT = 500;

/**
 * POSTs records as a JSON array (`Content-Type: application/json`) with Node's fetch; `write`
 * resolves once every request of the batch got a 2xx. Other 4xx answers are not retried:
 * SINK_HTTP_REJECTED carries the status and the start of the body to the route's error
 * policy. Delivery is at least once: a retried request may repeat one the peer did apply.
 */
export function httpSink<V>(url: string | URL, options: HttpSinkOptions<V> = {}): Sink<V> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw invalidOption('url', 'an http(s) URL', String(url));
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw invalidOption('url', 'an http(s) URL', String(url));
  }
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw invalidOption('batchSize', 'an integer >= 1', options.batchSize);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw invalidOption('timeoutMs', 'a number > 0', options.timeoutMs);
  }
  const retry = options.retry ?? { retries: 5, initialDelayMs: 200, maxDelayMs: 10_000 };
  if (!Number.isInteger(retry.retries) || retry.retries < 0) {
    throw invalidOption('retry.retries', 'an integer >= 0', retry.retries);
  }
  const maxWaitMs = retry.maxDelayMs ?? 30_000;
  // Where the error names the peer: never the credentials of the URL.
  const where = `${target.origin}${target.pathname}`;
  const name = options.name ?? `http:${where}`;
  const format = options.format ?? recordValue;
  const headers = { 'Content-Type': 'application/json', ...options.headers };
  const stopping = new AbortController();
  let closed = false;

  /** One request with its retries; resolves on a 2xx. */
  const send = async (body: string, records: number): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      let status: number | undefined;
      let excerpt = '';
      let waitMs: number | undefined;
      let cause: unknown;
      try {
        const response = await fetch(target, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping.signal]),
        });
        const text = await response.text();
        if (response.ok) return;
        status = response.status;
        excerpt = text.slice(0, EXCERPT);
        waitMs = retryAfterMs(response.headers.get('retry-after'));
      } catch (error) {
        cause = error;
      }
      const transient = status === undefined || status === 408 || status === 429 || status >= 500;
      const details = { url: where, status, body: excerpt, attempts: attempt, records };
      if (!transient) {
        throw sinkError(
          'SINK_HTTP_REJECTED',
          `${name}: ${where} answered ${status}${excerpt === '' ? '' : `: ${excerpt}`}`,
          { details, retryable: false },
        );
      }
      if (attempt > retry.retries || stopping.signal.aborted) {
        const reason = status === undefined ? networkReason(cause) : `answered ${status}`;
        throw sinkError(
          'SINK_HTTP_UNAVAILABLE',
          `${name}: ${where} ${reason} (${attempt} attempts)${excerpt === '' ? '' : `: ${excerpt}`}`,
          { cause, details: { ...details, reason }, retryable: false },
        );
      }
      const delay =
        waitMs === undefined ? backoffDelay(retry, attempt) : Math.min(waitMs, maxWaitMs);
      // close() aborts the wait: wake up early, without an error of its own.
      await sleep(delay, stopping.signal).catch(() => undefined);
    }
  };

  return {
    name,
    write: async (records) => {
      if (closed) throw closedError(name);
      // Every body is made before any request: a bad value fails its batch before anything is sent.
      const bodies: { body: string; records: number }[] = [];
      for (let from = 0; from < records.length; from += batchSize) {
        const parts: string[] = [];
        const to = Math.min(records.length, from + batchSize);
        for (let i = from; i < to; i++)
          parts.push(toJson(format(records[i] as OutRecord<V>), name, i));
        bodies.push({ body: `[${parts.join(',')}]`, records: to - from });
      }
      for (const b of bodies) await send(b.body, b.records);
    },
    close: async () => {
      closed = true;
      stopping.abort();
    },
  };
}

/** What went wrong below HTTP: the system error code when there is one (ECONNREFUSED…). */
function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return `unreachable (${cause.code})`;
  return `unreachable (${errorMessage(cause ?? error)})`;
}
