import type { StepMetrics } from '../metrics.js';
import type { StageObject } from '../stage.js';

/** A step as the compiled chain needs it. */
export interface ChainStep {
  readonly stage: StageObject<unknown, unknown>;
  readonly metrics: StepMetrics;
}

/** What the compiled chain calls back into: the runtime's general (slower) paths. */
export interface ChainHost<S, I, C> {
  /** Step `step` threw on `input`: retry or apply its error policy. */
  failed(
    step: S,
    input: unknown,
    item: I,
    ctx: C,
    meta: undefined,
    error: unknown,
    attempt: number,
  ): unknown;
  /** Step `step` returned something other than a plain value (a promise, many(), emit(), an instance). */
  settle(step: S, input: unknown, out: object, item: I, ctx: C): unknown;
  toSinks(value: unknown, item: I, ctx: C, meta: undefined): void;
}

/** Runs a value through every step synchronously; `undefined` when it finished (or was dropped). */
export type Chain<I, C> = (value: unknown, item: I, ctx: C & { step: unknown }) => unknown;

/**
 * Builds one function that calls each step at its own call site. A loop over the steps calls
 * every stage from a single site, which V8 sees as polymorphic and will not inline; a site per
 * step is monomorphic, so small stages are inlined into the chain (the same technique Zod v4
 * uses for its parsers). Returns undefined where code generation is disallowed
 * (`--disallow-code-generation-from-strings`); the runtime then uses its generic loop.
 */
export function compileSteps<S extends ChainStep, I, C>(
  steps: readonly S[],
  host: ChainHost<S, I, C>,
): Chain<I, C> | undefined {
  const lines: string[] = ['let o;'];
  steps.forEach((_, i) => {
    lines.push(
      `ctx.step = s${i};`,
      `try { o = s${i}.stage.process(v, ctx); } catch (e) { return host.failed(s${i}, v, item, ctx, undefined, e, 1); }`,
      'if (o === undefined) return undefined;',
      // Plain objects and primitives go straight on; anything else takes the general path.
      `if (typeof o === 'object' && o !== null && o.constructor !== Object) return host.settle(s${i}, v, o, item, ctx);`,
      `s${i}.metrics.out++;`,
      'v = o;',
    );
  });
  lines.push('host.toSinks(v, item, ctx, undefined);', 'return undefined;');
  const names = steps.map((_, i) => `s${i}`);
  try {
    const factory = new Function(
      'host',
      ...names,
      `return function chain(v, item, ctx) {\n${lines.join('\n')}\n};`,
    ) as (host: ChainHost<S, I, C>, ...steps: S[]) => Chain<I, C>;
    return factory(host, ...steps);
  } catch {
    return undefined;
  }
}
