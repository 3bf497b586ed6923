import { backoffDelay, invalidOption, type RetryOptions, TributaryError } from '@tributary/core';
import type { JsonSchema } from './compatibility.js';
import type { SchemaErrorCode } from './schemaErrorCode.js';

/** A schema type the Confluent Schema Registry knows. */
export type SchemaType = 'JSON' | 'AVRO' | 'PROTOBUF';

/** A reference from one schema to another registered one. */
export interface SchemaReference {
  /** The name the referring schema uses for it (e.g. a `$ref` URL for JSON Schema). */
  readonly name: string;
  /** Subject the referenced schema is registered under. */
  readonly subject: string;
  /** Version of the referenced schema within `subject`. */
  readonly version: number;
}

/** A schema as the registry returns it. */
export interface RegisteredSchema {
  /** The registry-wide schema id, as in the wire format. */
  readonly id: number;
  /** The schema text, as registered. */
  readonly schema: string;
  /** Its type (`AVRO` when the registry leaves it out, as it does for Avro). */
  readonly schemaType: SchemaType;
  /** Other schemas it refers to. */
  readonly references: readonly SchemaReference[];
  /** Known when looked up by subject. */
  readonly subject?: string;
  /** Version within `subject`; known when looked up by subject. */
  readonly version?: number;
}

/** Compatibility levels the registry enforces on a subject. */
export type RegistryCompatibility =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

/** Options of {@link schemaRegistry}. */
export interface SchemaRegistryOptions {
  /** Base URL of the Confluent API, e.g. `http://localhost:8081` (Apicurio: `.../apis/ccompat/v7`). */
  readonly url: string;
  /** Credentials: HTTP basic (`username`/`password`) or a bearer token. Default: none. */
  readonly auth?:
    | {
        /** Basic-auth user (Confluent Cloud: the API key). */
        readonly username: string;
        /** Basic-auth password (Confluent Cloud: the API secret). */
        readonly password: string;
      }
    | {
        /** Token sent as `Authorization: Bearer <token>`. */
        readonly bearer: string;
      };
  /** Extra HTTP headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Retry of network errors, 408, 429 and 5xx. Default 3 retries from 100 ms, full jitter. */
  readonly retry?: RetryOptions;
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
  /** Schemas kept by id (they never change). Default 1000. */
  readonly cacheSize?: number;
  /** The fetch to use. Default: the global one. */
  readonly fetch?: typeof fetch;
}

/** Options of schema registration and look-up. */
export interface SchemaOptions {
  /** Default `JSON`. */
  readonly schemaType?: SchemaType;
  /** Registered schemas this one refers to. Default: none. */
  readonly references?: readonly SchemaReference[];
}

/** Answer of a compatibility check. */
export interface RegistryCompatibilityResult {
  /** True when the registry would accept the schema as a new version. */
  readonly compatible: boolean;
  /** The registry's reasons, when it gives any. */
  readonly messages: readonly string[];
}

/** A client of the Confluent Schema Registry REST API, with caching and retries. */
export interface SchemaRegistry {
  /** The base URL requests go to. */
  readonly url: string;
  /** Registers a schema under a subject (idempotent) and returns its global id. Cached. */
  register(subject: string, schema: string | JsonSchema, options?: SchemaOptions): Promise<number>;
  /** The registered version of this schema under the subject, or undefined when absent. */
  lookup(
    subject: string,
    schema: string | JsonSchema,
    options?: SchemaOptions,
  ): Promise<RegisteredSchema | undefined>;
  /** The schema with this global id. Cached. */
  getById(id: number): Promise<RegisteredSchema>;
  /** A version of a subject; numbered versions are cached, `latest` is always fetched. */
  getBySubjectVersion(subject: string, version: number | 'latest'): Promise<RegisteredSchema>;
  /** Names of the registry's subjects. */
  subjects(): Promise<string[]>;
  /** Version numbers of a subject. */
  versions(subject: string): Promise<number[]>;
  /** Whether the schema could be registered under the subject's compatibility level. */
  checkCompatibility(
    subject: string,
    schema: string | JsonSchema,
    options?: SchemaOptions & { readonly version?: number | 'latest' },
  ): Promise<RegistryCompatibilityResult>;
  /** Sets the compatibility level of a subject, or the global default without one. */
  setCompatibility(level: RegistryCompatibility, subject?: string): Promise<RegistryCompatibility>;
  /** The compatibility level of a subject, or the global default without one. */
  getCompatibility(subject?: string): Promise<RegistryCompatibility>;
  /** Deletes a subject's versions (soft, or permanently after a soft delete). */
  deleteSubject(subject: string, options?: { readonly permanent?: boolean }): Promise<number[]>;
  /** HTTP requests sent so far, retries included (for cache checks and metrics). */
  readonly requests: () => number;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** Creates a {@link SchemaRegistry} client. */
export function schemaRegistry(options: SchemaRegistryOptions): SchemaRegistry {
  if (typeof options?.url !== 'string' || !/^https?:\/\//.test(options.url)) {
    throw invalidOption('url', 'an http(s) URL', options?.url);
  }
  const base = options.url.replace(/\/+$/, '');
  const retry: RetryOptions = options.retry ?? {
    retries: 3,
    initialDelayMs: 100,
    maxDelayMs: 2000,
  };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const cacheSize = options.cacheSize ?? 1000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = {
    Accept: `${CONTENT_TYPE}, application/json`,
    ...authHeader(options.auth),
    ...options.headers,
  };
  let sent = 0;

  const byId = new BoundedCache<number, Promise<RegisteredSchema>>(cacheSize);
  const idBySchema = new BoundedCache<string, Promise<number>>(cacheSize);
  const byVersion = new BoundedCache<string, Promise<RegisteredSchema>>(cacheSize);

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

  const enc = encodeURIComponent;
  const schemaBody = (schema: string | JsonSchema, o: SchemaOptions = {}) => ({
    schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
    schemaType: o.schemaType ?? 'JSON',
    ...(o.references === undefined ? {} : { references: o.references }),
  });
  const normalize = (raw: RawSchema, id?: number): RegisteredSchema => ({
    id: raw.id ?? id ?? -1,
    schema: raw.schema,
    schemaType: raw.schemaType ?? 'AVRO', // The registry leaves out the type for Avro.
    references: raw.references ?? [],
    ...(raw.subject === undefined ? {} : { subject: raw.subject }),
    ...(raw.version === undefined ? {} : { version: raw.version }),
  });
  /** Caches a promise, forgetting it if it rejects so a later call tries again. */
  const cached = <K, V>(cache: BoundedCache<K, Promise<V>>, key: K, load: () => Promise<V>) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
    return p;
  };

  return {
    url: base,
    requests: () => sent,
    register(subject, schema, o = {}) {
      const body = schemaBody(schema, o);
      return cached(idBySchema, `${subject}\0${body.schemaType}\0${body.schema}`, async () => {
        const r = await request<{ id: number }>('POST', `/subjects/${enc(subject)}/versions`, body);
        return r.id;
      });
    },
    async lookup(subject, schema, o = {}) {
      try {
        const r = await request<RawSchema>(
          'POST',
          `/subjects/${enc(subject)}`,
          schemaBody(schema, o),
        );
        return normalize(r);
      } catch (error) {
        // 40401 subject not found, 40403 schema not found.
        const code = (error as TributaryError).details?.errorCode;
        if (code === 40401 || code === 40403) return undefined;
        throw error;
      }
    },
    getById(id) {
      if (!Number.isInteger(id) || id < 0)
        throw invalidOption('id', 'a schema id (integer ≥ 0)', id);
      return cached(byId, id, async () =>
        normalize(await request<RawSchema>('GET', `/schemas/ids/${id}`), id),
      );
    },
    getBySubjectVersion(subject, version) {
      const load = async () =>
        normalize(await request<RawSchema>('GET', `/subjects/${enc(subject)}/versions/${version}`));
      return version === 'latest' ? load() : cached(byVersion, `${subject}\0${version}`, load);
    },
    subjects: () => request<string[]>('GET', '/subjects'),
    versions: (subject) => request<number[]>('GET', `/subjects/${enc(subject)}/versions`),
    async checkCompatibility(subject, schema, o = {}) {
      const r = await request<{ is_compatible: boolean; messages?: string[]; reason?: string }>(
        'POST',
        `/compatibility/subjects/${enc(subject)}/versions/${o.version ?? 'latest'}?verbose=true`,
        schemaBody(schema, o),
      );
      // Confluent answers `messages`; Apicurio's compatible API answers `reason`.
      const messages = r.messages ?? (r.reason === undefined ? [] : [r.reason]);
      return { compatible: r.is_compatible === true, messages };
    },
    async setCompatibility(level, subject) {
      const path = subject === undefined ? '/config' : `/config/${enc(subject)}`;
      const r = await request<{ compatibility: RegistryCompatibility }>('PUT', path, {
        compatibility: level,
      });
      return r.compatibility;
    },
    async getCompatibility(subject) {
      const path = subject === undefined ? '/config' : `/config/${enc(subject)}`;
      const r = await request<{
        compatibilityLevel?: RegistryCompatibility;
        compatibility?: RegistryCompatibility;
      }>('GET', path);
      return (r.compatibilityLevel ?? r.compatibility)!;
    },
    deleteSubject(subject, o = {}) {
      return request<number[]>(
        'DELETE',
        `/subjects/${enc(subject)}${o.permanent === true ? '?permanent=true' : ''}`,
      );
    },
  };
}

interface RawSchema {
  readonly id?: number;
  readonly schema: string;
  readonly schemaType?: SchemaType;
  readonly references?: SchemaReference[];
  readonly subject?: string;
  readonly version?: number;
}

function authHeader(auth: SchemaRegistryOptions['auth']): Record<string, string> {
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A Map that forgets its oldest entries beyond `max` (insertion order, refreshed on read). */
class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  delete(key: K): void {
    this.map.delete(key);
  }
}
