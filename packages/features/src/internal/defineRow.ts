import { invalidOption } from '@tributary/core';
import type { RowLayout, RowTransform } from '../rowTransform.js';
import type { TransformSnapshot } from '../transform.js';
import { snapshotError } from './guards.js';

/** What a row form implements; `defineRow` adds the snapshot plumbing (as `defineTransform`). */
export interface RowImpl {
  read?(value: object): void;
  learn(row: Float64Array, value: object): void;
  transform(row: Float64Array, value: object): void;
  reset(): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Builds a {@link RowTransform} of `kind` around `impl`. */
export function defineRow(kind: string, impl: RowImpl): RowTransform {
  return {
    kind,
    ...(impl.read === undefined ? {} : { read: impl.read }),
    learn: impl.learn,
    transform: impl.transform,
    reset: impl.reset,
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

/**
 * The slots a numeric row step works on: its `fields` (input columns, added if new), or, when
 * none were given, every input column declared so far (by `inputColumns` or earlier steps).
 */
export function rowSlots(
  kind: string,
  fields: readonly string[] | undefined,
  layout: RowLayout,
): { readonly names: readonly string[]; readonly slots: Int32Array } {
  if (fields !== undefined)
    return { names: fields, slots: Int32Array.from(fields, (f) => layout.input(f)) };
  if (layout.inputs.length === 0) {
    throw invalidOption(
      'fields',
      `the fields ${kind} works on (a row has no record to discover them from; or declare inputColumns first)`,
      undefined,
    );
  }
  const names = [...layout.inputs];
  return { names, slots: Int32Array.from(names, (f) => layout.input(f)) };
}
