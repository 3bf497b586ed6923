import type { ErrorPolicy } from '../errorPolicy.js';
import type { OutRecord } from '../record.js';
import type { RetryOptions } from '../retry.js';
import type { Route } from '../route.js';
import type { Sink } from '../sink.js';
import type { ErrorHandler } from './errorHandler.js';
import type { RecordContext } from './recordContext.js';
import { type BindingHost, SinkBinding } from './sinkBinding.js';

interface RouteBinding {
  readonly route: Route<unknown>;
  readonly binding: SinkBinding;
}

/** A record's final value goes to every route whose `when` holds, reshaped by its `map`. */
export class Router {
  private readonly routes: RouteBinding[];

  constructor(
    routes: readonly Route<unknown>[],
    defaults: { readonly sinkRetry: RetryOptions; readonly onError: ErrorPolicy },
    host: BindingHost,
    private readonly errors: ErrorHandler,
  ) {
    // A sink on several routes gets one binding per route: name, name#2, ...
    const names = new Map<Route<unknown>['sink'], number>();
    this.routes = routes.map((route) => {
      const n = names.get(route.sink) ?? 0;
      names.set(route.sink, n + 1);
      const name = n === 0 ? route.sink.name : `${route.sink.name}#${n + 1}`;
      const binding = new SinkBinding(
        name,
        route.sink as Sink<unknown>,
        route.retry ?? defaults.sinkRetry,
        route.onError ?? defaults.onError,
        host,
      );
      return { route, binding };
    });
  }

  /** One binding per route, in route order. */
  bindings(): SinkBinding[] {
    return this.routes.map((r) => r.binding);
  }

  /** The error policies the routes set. */
  policies(): ErrorPolicy[] {
    return this.routes.flatMap((r) => (r.route.onError ? [r.route.onError] : []));
  }

  /** `value` finished the steps for `ctx.item`: an output record for each route that takes it. */
  toSinks(ctx: RecordContext, value: unknown): void {
    const { item, meta } = ctx;
    const rec = item.rec;
    const out: OutRecord =
      meta === undefined
        ? { key: rec.key, value, headers: rec.headers, timestamp: rec.timestamp }
        : {
            key: meta.key !== undefined ? meta.key : rec.key,
            value,
            headers: meta.headers ?? rec.headers,
            timestamp: meta.timestamp ?? rec.timestamp,
          };
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) {
      const { route, binding } = routes[i] as RouteBinding;
      const { when, map } = route;
      if (when === undefined && map === undefined) {
        binding.push(out, item);
        continue;
      }
      let pass = true;
      let routed = out;
      try {
        if (when !== undefined) pass = when(value, ctx);
        if (pass && map !== undefined)
          routed = {
            key: out.key,
            value: map(value, ctx),
            headers: out.headers,
            timestamp: out.timestamp,
          };
      } catch (error) {
        binding.metrics.errors++;
        this.errors.apply(binding, binding.policy, item, error, 1);
        continue;
      }
      if (!pass) {
        binding.metrics.filtered++;
        continue;
      }
      binding.push(routed, item);
    }
  }
}
