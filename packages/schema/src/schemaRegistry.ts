import { invalidOption, type RetryOptions, type TributaryError } from '@tributary/core';
import type { JsonSchema } from './compatibility.js';
import { PromiseCache } from './internal/promiseCache.js';
import { registryHttp } from './internal/registryHttp.js';
import {
  isNotFound,
  type RawCompatibility,
  type RawConfig,
  type RawSchema,
  schemaBody,
  toCompatibilityResult,
  toRegisteredSchema,
} from './internal/registryPayload.js';
import type {
  RegisteredSchema,
  RegistryCompatibility,
  RegistryCompatibilityResult,
  SchemaOptions,
} from './registeredSchema.js';

export type {
  RegisteredSchema,
  RegistryCompatibility,
  RegistryCompatibilityResult,
  SchemaOptions,
  SchemaReference,
  SchemaType,
} from './registeredSchema.js';

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

/** Creates a {@link SchemaRegistry} client. */
export function schemaRegistry(options: SchemaRegistryOptions): SchemaRegistry {
  if (typeof options?.url !== 'string' || !/^https?:\/\//.test(options.url)) {
    throw invalidOption('url', 'an http(s) URL', options?.url);
  }
  const base = options.url.replace(/\/+$/, '');
  const http = registryHttp({
    url: base,
    ...(options.auth === undefined ? {} : { auth: options.auth }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    retry: options.retry ?? { retries: 3, initialDelayMs: 100, maxDelayMs: 2000 },
    timeoutMs: options.timeoutMs ?? 10_000,
    fetch: options.fetch ?? globalThis.fetch,
  });
  const { request } = http;
  const cacheSize = options.cacheSize ?? 1000;
  const byId = new PromiseCache<number, RegisteredSchema>(cacheSize);
  const idBySchema = new PromiseCache<string, number>(cacheSize);
  const byVersion = new PromiseCache<string, RegisteredSchema>(cacheSize);
  const enc = encodeURIComponent;
  const configPath = (subject?: string) =>
    subject === undefined ? '/config' : `/config/${enc(subject)}`;

  return {
    url: base,
    requests: http.sent,
    register(subject, schema, o = {}) {
      const body = schemaBody(schema, o);
      return idBySchema.get(`${subject}\0${body.schemaType}\0${body.schema}`, async () => {
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
        return toRegisteredSchema(r);
      } catch (error) {
        if (isNotFound((error as TributaryError).details?.errorCode)) return undefined;
        throw error;
      }
    },
    getById(id) {
      if (!Number.isInteger(id) || id < 0)
        throw invalidOption('id', 'a schema id (integer ≥ 0)', id);
      return byId.get(id, async () =>
        toRegisteredSchema(await request<RawSchema>('GET', `/schemas/ids/${id}`), id),
      );
    },
    getBySubjectVersion(subject, version) {
      const load = async () =>
        toRegisteredSchema(
          await request<RawSchema>('GET', `/subjects/${enc(subject)}/versions/${version}`),
        );
      return version === 'latest' ? load() : byVersion.get(`${subject}\0${version}`, load);
    },
    subjects: () => request<string[]>('GET', '/subjects'),
    versions: (subject) => request<number[]>('GET', `/subjects/${enc(subject)}/versions`),
    async checkCompatibility(subject, schema, o = {}) {
      const r = await request<RawCompatibility>(
        'POST',
        `/compatibility/subjects/${enc(subject)}/versions/${o.version ?? 'latest'}?verbose=true`,
        schemaBody(schema, o),
      );
      return toCompatibilityResult(r);
    },
    async setCompatibility(level, subject) {
      const r = await request<RawConfig>('PUT', configPath(subject), { compatibility: level });
      return r.compatibility!;
    },
    async getCompatibility(subject) {
      const r = await request<RawConfig>('GET', configPath(subject));
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
