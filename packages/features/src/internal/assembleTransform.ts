import { invalidOption } from '@tributary/core';
import type { RowLayout, RowTransform } from '../rowTransform.js';
import type { Transform, TransformOptions } from '../transform.js';
import type { TransformSnapshot } from '../transformSnapshot.js';
import { snapshotError } from './guards.js';

/**
 * The parts of a transform in both forms; `assembleTransform` adds the options checks, the stage
 * and the snapshot plumbing. The built-ins give these directly (their row forms are fused loops
 * over `Float64Array` state); user transforms get them from the public `defineTransform`.
 */
export interface TransformParts<I, O> {
  learn(x: I): void;
  transform(x: I): O;
  /** Faster fused form; default `learn` then `transform`. */
  learnTransform?(x: I): O;
  reset(): void;
  /** State as plain JSON data. */
  getState(): unknown;
  /** Validates and loads `state`, throwing via `snapshotError` when it is malformed. */
  setState(state: unknown): void;
  /** The row form, on the same arithmetic, with fresh state (see `RowStep.bindRow`). */
  bindRow(layout: RowLayout): RowTransform;
}

/** Builds a {@link Transform} of `kind` around `impl`. */
export function assembleTransform<I, O>(
  kind: string,
  options: TransformOptions,
  impl: TransformParts<I, O>,
): Transform<I, O> {
  const learning = options.learn ?? true;
  if (typeof learning !== 'boolean') throw invalidOption('learn', 'a boolean', learning);
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    throw invalidOption('name', 'a non-empty string', options.name);
  }
  const learnTransform =
    impl.learnTransform?.bind(impl) ??
    ((x: I): O => {
      impl.learn(x);
      return impl.transform(x);
    });
  return {
    name: options.name ?? kind,
    kind,
    learn: (x) => impl.learn(x),
    transform: (x) => impl.transform(x),
    learnTransform,
    reset: () => impl.reset(),
    bindRow: (layout) => impl.bindRow(layout),
    process: learning ? (value) => learnTransform(value) : (value) => impl.transform(value),
    ...snapshotMethods(kind, impl),
  };
}

/** `snapshot` and `restore` of `kind` over `impl`'s plain state (shared with `defineRow`). */
export function snapshotMethods(
  kind: string,
  impl: { getState(): unknown; setState(state: unknown): void },
): { snapshot(): TransformSnapshot; restore(snapshot: unknown): void } {
  return {
    // Deep copies both ways: a snapshot must not change as learning goes on, nor alias the caller's data.
    snapshot: (): TransformSnapshot => ({
      kind,
      version: 1,
      state: structuredClone(impl.getState()),
    }),
    restore(snapshot: unknown) {
      const s = snapshot as Partial<TransformSnapshot> | null;
      if (typeof s !== 'object' || s === null || s.kind !== kind || s.version !== 1) {
        throw snapshotError(kind, 'expected { kind, version: 1, state } of this kind', snapshot);
      }
      impl.setState(structuredClone(s.state));
    },
  };
}
