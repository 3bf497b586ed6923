import { backoffDelay, type RetryOptions, sleep, TributaryError } from '@tributary/core';
import type { SchemaErrorCode } from '../schemaErrorCode.js';

/** What the HTTP side of the registry client needs, defaults already resolved. */
export interface RegistryHttpOptions {
  /** Base URL without a trailing slash. */
  readonly url: string;
  readonly auth?:
    | { readonly username: string; readonly password: string }
    | { readonly bearer: string };
  readonly headers?: Readonly<Record<string, string>>;
  readonly retry: RetryOptions;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

/** Sends JSON requests to the registry: auth, retries with backoff, typed errors. */
export interface RegistryHttp {
  /** The parsed JSON answer (undefined for an empty body), or SCHEMA_REGISTRY_ERROR. */
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Requests sent so far, retries included. */
  readonly sent: () => number;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * The registry's HTTP transport: network errors, 408, 429 and 5xx are retried with
 * `backoffDelay`; other failures and non-JSON answers become SCHEMA_REGISTRY_ERROR with the
 * registry's `error_code` in the details.
 */
export function registryHttp(options: RegistryHttpOptions): RegistryHttp {
  const { url: base, retry, timeoutMs, fetch: doFetch } = options;
  const headers: Record<string, string> = {
    Accept: `${CONTENT_TYPE}, application/json`,
    ...authHeader(options.auth),
    ...options.headers,
  };
  let sent = 0;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      sent++;
      let response: Response;
      try {
        response = await doFetch(`${base}${path}`, {
          method,
          headers: body === undefined ? headers : { ...headers, 'Content-Type': CONTENT_TYPE },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        if (attempt < retry.retries) {
          await sleep(backoffDelay(retry, attempt + 1));
          continue;
        }
        throw registryError(method, path, undefined, undefined, errorText(cause), cause);
      }
      const text = await response.text();
      if (response.ok) {
        try {
          return (text === '' ? undefined : JSON.parse(text)) as T;
        } catch (cause) {
          const snippet = text.slice(0, 200);
          throw registryError(
            method,
            path,
            response.status,
            undefined,
            `answer is not JSON: ${snippet}`,
            cause,
          );
        }
      }
      const retryable =
        response.status === 408 || response.status === 429 || response.status >= 500;
      if (retryable && attempt < retry.retries) {
        await sleep(backoffDelay(retry, attempt + 1));
        continue;
      }
      let errorCode: number | undefined;
      let message = text;
      try {
        const parsed = JSON.parse(text) as { error_code?: number; message?: string };
        errorCode = parsed.error_code;
        message = parsed.message ?? text;
      } catch {
        // Not JSON (e.g. a proxy's HTML page): keep the text.
      }
      throw registryError(method, path, response.status, errorCode, message);
    }
  }

  return { request, sent: () => sent };
}

function authHeader(auth: RegistryHttpOptions['auth']): Record<string, string> {
  if (auth === undefined) return {};
  if ('bearer' in auth) return { Authorization: `Bearer ${auth.bearer}` };
  const token = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  return { Authorization: `Basic ${token}` };
}

function registryError(
  method: string,
  path: string,
  status: number | undefined,
  errorCode: number | undefined,
  message: string,
  cause?: unknown,
): TributaryError<SchemaErrorCode> {
  const where =
    status === undefined
      ? 'unreachable'
      : `HTTP ${status}${errorCode === undefined ? '' : ` (${errorCode})`}`;
  return new TributaryError<SchemaErrorCode>(
    'SCHEMA_REGISTRY_ERROR',
    `Schema registry ${method} ${path}: ${where}: ${message}`,
    {
      cause,
      details: {
        method,
        path,
        ...(status === undefined ? {} : { status }),
        ...(errorCode === undefined ? {} : { errorCode }),
        message,
      },
    },
  );
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
