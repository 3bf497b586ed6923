import { invalidOption } from '@tributary/core';
import type { RowLayout, RowTransform } from '../rowTransform.js';
import { snapshotMethods } from './assembleTransform.js';
import { type RowSourceOf, setRowSource } from './rowSource.js';

/** What a row form implements; `defineRow` adds the snapshot plumbing (as `assembleTransform`). */
export interface RowImpl {
  read?(value: object): void;
  learn(row: Float64Array, value: object): void;
  transform(row: Float64Array, value: object): void;
  reset(): void;
  getState(): unknown;
  setState(state: unknown): void;
  /** The same work as source text, for the row program `vectorize` generates (optional). */
  source?: RowSourceOf;
}

/** Builds a {@link RowTransform} of `kind` around `impl`. */
export function defineRow(kind: string, impl: RowImpl): RowTransform {
  const t: RowTransform = {
    kind,
    ...(impl.read === undefined ? {} : { read: impl.read }),
    learn: impl.learn,
    transform: impl.transform,
    reset: impl.reset,
    ...snapshotMethods(kind, impl),
  };
  if (impl.source !== undefined) setRowSource(t, impl.source);
  return t;
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
