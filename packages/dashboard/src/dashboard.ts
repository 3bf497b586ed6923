import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  invalidOption,
  type MetricsSnapshot,
  type RunHandle,
  type RuntimeEvent,
  TributaryError,
} from '@tributary/core';
import type { ModelMetricsSource } from '@tributary/monitor';
import type { DashboardState, PipelineTick, TickMessage, TimelineEvent } from './dashboardState.js';
import { loadAssets } from './internal/assets.js';
import {
  countDeadLetter,
  type DeadLetterCodes,
  PipelineSampler,
} from './internal/pipelineSampler.js';

/** Options of {@link dashboard}. */
export interface DashboardOptions {
  /** TCP port; 0 picks a free one (tests). Default 9465 (next to the metrics server's 9464). */
  readonly port?: number;
  /**
   * Loopback interface to bind: `'127.0.0.1'` (default), `'::1'` or `'localhost'`. The page has
   * no authentication, so other interfaces are refused; publish it through a proxy if needed.
   */
  readonly host?: '127.0.0.1' | '::1' | 'localhost';
  /** Heading of the page. Default `'Tributary'`. */
  readonly title?: string;
  /** How often every source is sampled and the page updated, in ms. Default 1000. */
  readonly intervalMs?: number;
  /** Samples kept per pipeline for a page opened later. Default 600 (10 minutes at 1 s). */
  readonly history?: number;
}

/** A serving stage's current model version, e.g. @tributary/learn's `serveModel`. */
export interface ServingVersion {
  /** The model version in use; undefined before the first one is loaded. */
  readonly version: number | undefined;
}

/** What to show next to a pipeline's runtime metrics. */
export interface DashboardPipelineOptions {
  /** Model name → its metrics (and counters), e.g. a `prequential` stage; one chart each. */
  readonly models?: Readonly<Record<string, ModelMetricsSource>>;
  /** Stage name → an object whose `version` is the model version serving now; its changes form the history. */
  readonly serving?: Readonly<Record<string, ServingVersion>>;
  /** Series name → a getter read at every tick (e.g. cumulative regret); see also `push`. */
  readonly series?: Readonly<Record<string, () => number | undefined>>;
}

/** A pipeline on the dashboard. */
export interface DashboardPipeline {
  /** The name the page shows it under. */
  readonly name: string;
  /** Sets a custom series' value; the latest one is sampled at the next tick. */
  push(series: string, value: number): void;
  /** Puts a labelled event on the timeline (kind `'drift'` draws it as a drift). */
  mark(label: string, kind?: 'drift' | 'mark'): void;
  /** Takes the pipeline off the page. */
  remove(): void;
}

/** A running dashboard server. */
export interface Dashboard {
  /** The TCP port it listens on (the one picked when `port: 0` was asked). */
  readonly port: number;
  /** The page, e.g. `http://127.0.0.1:9465/`. */
  readonly url: string;
  /**
   * Shows a pipeline: a run handle (its end shows as stopped or failed) or a function returning
   * its `MetricsSnapshot`, with its models, serving stages and custom series.
   */
  add(
    name: string,
    pipeline: RunHandle | (() => MetricsSnapshot),
    options?: DashboardPipelineOptions,
  ): DashboardPipeline;
  /**
   * A `run(…, { onEvent })` listener that breaks the pipeline `name`'s dead letters down by
   * error code; may be created before `add(name, …)`. `next` is called with every event too.
   */
  onEvent(name: string, next?: (event: RuntimeEvent) => void): (event: RuntimeEvent) => void;
  /** Ends the page's streams, stops sampling and closes the server. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const MAX_EVENTS = 1000;

/**
 * Serves a live page of running pipelines on a loopback interface: throughput, latency p50/p99,
 * in-flight records and lag per partition, dead letters by reason, each model's metrics, drift
 * events and serving model versions on a timeline, and custom series. The page and uPlot are
 * served from the package (no network at view time) and update over Server-Sent Events
 * (`/events`); `/api/state` gives the same data as JSON. Resolves once listening.
 */
export async function dashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  const port = options.port ?? 9465;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalidOption('port', 'an integer in [0, 65535]', port);
  }
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw invalidOption('host', "'127.0.0.1', '::1' or 'localhost'", host);
  const intervalMs = options.intervalMs ?? 1000;
  if (!Number.isInteger(intervalMs) || intervalMs < 50) {
    throw invalidOption('intervalMs', 'an integer >= 50', intervalMs);
  }
  const historyLength = options.history ?? 600;
  if (!Number.isInteger(historyLength) || historyLength < 1) {
    throw invalidOption('history', 'an integer >= 1', historyLength);
  }
  const title = options.title ?? 'Tributary';
  if (typeof title !== 'string') throw invalidOption('title', 'a string', title);

  // This module sits one folder below the package root in src/ and in dist/.
  const assets = await loadAssets(import.meta.url);
  const samplers = new Map<string, PipelineSampler>();
  const history = new Map<string, PipelineTick[]>();
  const codes = new Map<string, DeadLetterCodes>();
  const events: TimelineEvent[] = [];
  const streams = new Set<ServerResponse>();
  const removed: string[] = [];

  const codesOf = (name: string) => {
    const c = codes.get(name) ?? new Map();
    codes.set(name, c);
    return c;
  };
  const state = (): DashboardState => ({
    title,
    intervalMs,
    pipelines: Object.fromEntries(history),
    events,
  });
  const record = (name: string, tick: PipelineTick) => {
    const h = history.get(name) ?? [];
    h.push(tick);
    if (h.length > historyLength) h.splice(0, h.length - historyLength);
    history.set(name, h);
  };
  const keep = (fresh: readonly TimelineEvent[]) => {
    events.push(...fresh);
    if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
  };
  const send = (res: ServerResponse, event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

  const tick = () => {
    const t = Date.now();
    const pipelines: Record<string, PipelineTick> = {};
    const fresh: TimelineEvent[] = [];
    for (const [name, sampler] of samplers) {
      // An ended run is sampled once more (its final counts), then its charts stay as they are.
      if (!sampler.frozen) {
        if (sampler.status !== 'running') sampler.frozen = true;
        try {
          const sample = sampler.sample(t);
          record(name, sample);
          pipelines[name] = sample;
        } catch (error) {
          // A user getter that throws must not stop the dashboard; the page shows why.
          sampler.mark(t, `sampling failed: ${String(error)}`, 'status');
        }
      }
      fresh.push(...sampler.takeEvents());
    }
    keep(fresh);
    const message: TickMessage = { pipelines, removed: removed.splice(0), events: fresh };
    for (const res of streams) send(res, 'tick', message);
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();

  const server = createServer((req, res) => {
    // The Host check keeps other sites from reading the page through DNS rebinding.
    const hostname = new URL(`http://${req.headers.host ?? ''}`).hostname.replace(/^\[|\]$/g, '');
    if (!LOOPBACK.has(hostname)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden host\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
        .end('method not allowed\n');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write('retry: 2000\n\n');
      send(res, 'init', state());
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (path === '/api/state') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(state()));
      return;
    }
    const asset = assets.get(path);
    if (asset === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      clearInterval(timer);
      reject(
        new TributaryError(
          'DASHBOARD_SERVER_FAILED',
          `dashboard: cannot listen on ${host}:${port}`,
          {
            cause: error,
            details: { host, port },
          },
        ),
      );
    });
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;

  return {
    port: bound,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`,
    add(name, pipeline, opts = {}) {
      if (typeof name !== 'string' || name === '')
        throw invalidOption('name', 'a non-empty string', name);
      if (samplers.has(name)) throw invalidOption('name', 'a pipeline name not added yet', name);
      const handle = typeof pipeline === 'function' ? undefined : pipeline;
      const metrics = handle === undefined ? pipeline : () => handle.metrics();
      if (
        typeof metrics !== 'function' ||
        (handle !== undefined && typeof handle?.metrics !== 'function')
      ) {
        throw invalidOption(
          'pipeline',
          'a run handle or a function returning a MetricsSnapshot',
          pipeline,
        );
      }
      for (const [model, source] of Object.entries(opts.models ?? {})) {
        if (typeof source?.metrics !== 'function') {
          throw invalidOption(
            `models.${model}`,
            'an object with metrics() (e.g. a prequential stage)',
            source,
          );
        }
      }
      for (const [stage, serving] of Object.entries(opts.serving ?? {})) {
        if (typeof serving !== 'object' || serving === null || !('version' in serving)) {
          throw invalidOption(
            `serving.${stage}`,
            'an object with a version (e.g. a serveModel stage)',
            serving,
          );
        }
      }
      for (const [series, read] of Object.entries(opts.series ?? {})) {
        if (typeof read !== 'function') throw invalidOption(`series.${series}`, 'a function', read);
      }
      const sampler = new PipelineSampler(
        name,
        {
          metrics: metrics as () => MetricsSnapshot,
          models: opts.models ?? {},
          serving: opts.serving ?? {},
          series: opts.series ?? {},
        },
        codesOf(name),
      );
      samplers.set(name, sampler);
      // A first sample now, so rates start at the next tick and the page has the pipeline at once.
      record(name, sampler.sample(Date.now()));
      keep(sampler.takeEvents());
      handle?.done.then(
        () => {
          sampler.status = 'stopped';
          sampler.mark(Date.now(), 'stopped', 'status');
        },
        (error: unknown) => {
          sampler.status = 'failed';
          sampler.mark(Date.now(), `failed: ${String(error)}`, 'status');
        },
      );
      return {
        name,
        push(series, value) {
          if (typeof value !== 'number') throw invalidOption('value', 'a number', value);
          sampler.push(series, value);
        },
        mark(label, kind = 'mark') {
          sampler.mark(Date.now(), String(label), kind);
        },
        remove() {
          if (samplers.get(name) !== sampler) return;
          samplers.delete(name);
          history.delete(name);
          removed.push(name);
        },
      };
    },
    onEvent(name, next) {
      const c = codesOf(name);
      return (event) => {
        countDeadLetter(c, event);
        next?.(event);
      };
    },
    async close() {
      clearInterval(timer);
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      });
    },
  };
}
