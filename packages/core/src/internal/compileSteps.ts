import type { StepMetrics } from '../metrics.js';
import type { StageObject } from '../stage.js';

/** A step as the compiled chain needs it. */
export interface ChainStep {
  readonly stage: StageObject<unknown, unknown>;
  readonly metrics: StepMetrics;
}

/** What the compiled chain calls back into: the runtime's general (slower) paths. */
export interface ChainHost<C> {
  /** The current step (`ctx.step`) threw on `input`: retry or apply its error policy. */
  failed(ctx: C, input: unknown, error: unknown, attempt: number): unknown;
  /** The current step returned something other than a plain value (a promise, many(), emit(), an instance). */
  settle(ctx: C, input: unknown, out: object): unknown;
}

/** Where the chain hands the last step's value: the routes. */
export interface ChainSinks<C> {
  toSinks(ctx: C, value: unknown): void;
}

/** Runs a value through every step synchronously; `undefined` when it finished (or was dropped). */
export type Chain<C> = (value: unknown, ctx: C) => unknown;

/**
 * Builds one function that calls each step at its own call site. A loop over the steps calls
 * every stage from a single site, which V8 sees as polymorphic and will not inline; a site per
 * step is monomorphic, so small stages are inlined into the chain (the same technique Zod v4
 * uses for its parsers). Returns undefined where code generation is disallowed
 * (`--disallow-code-generation-from-strings`); the runtime then uses its generic loop.
 */
export function compileSteps<S extends ChainStep, C extends { step: S }>(
  steps: readonly S[],
  host: ChainHost<C>,
  sinks: ChainSinks<C>,
): Chain<C> | undefined {
  const lines: string[] = ['let o;'];
  steps.forEach((_, i) => {
    lines.push(
      `ctx.step = s${i};`,
      `try { o = s${i}.stage.process(v, ctx); } catch (e) { return host.failed(ctx, v, e, 1); }`,
      'if (o === undefined) return undefined;',
      // Plain objects and primitives go straight on; anything else takes the general path.
      `if (typeof o === 'object' && o !== null && o.constructor !== Object) return host.settle(ctx, v, o);`,
      `s${i}.metrics.out++;`,
      'v = o;',
    );
  });
  lines.push('sinks.toSinks(ctx, v);', 'return undefined;');
  const names = steps.map((_, i) => `s${i}`);
  try {
    const factory = new Function(
      'host',
      'sinks',
      ...names,
      `return function chain(v, ctx) {\n${lines.join('\n')}\n};`,
    ) as (host: ChainHost<C>, sinks: ChainSinks<C>, ...steps: S[]) => Chain<C>;
    return factory(host, sinks, ...steps);
  } catch {
    return undefined;
  }
}
