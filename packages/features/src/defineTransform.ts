import { invalidOption } from '@tributary/core';
import type { FeatureMap } from './featureMap.js';
import { assembleTransform, type TransformParts } from './internal/assembleTransform.js';
import { defineRow, rowSlots } from './internal/defineRow.js';
import { checkFields, forEachNumeric, mapNumeric } from './internal/fields.js';
import { isPlainObject, readEntries, snapshotError } from './internal/guards.js';
import { stateless } from './internal/stateless.js';
import type { Transform, TransformOptions } from './transform.js';

/** Options of a transform made with {@link defineTransform}: the common ones and its `fields`. */
export interface FieldTransformOptions<T> extends TransformOptions {
  /**
   * Fields to transform. Default: every field holding a number (in a row: every input column
   * declared before the step, by `inputColumns` or earlier steps).
   */
  readonly fields?: readonly (keyof NoInfer<T> & string)[];
}

/**
 * What a transform of numeric fields implements: how it maps one field's value and, when it
 * learns, how one field's plain-data state starts and moves. Each field has its own state.
 * Missing values (`null`, `undefined`, `NaN`) never reach it; a listed field holding text
 * throws FEATURE_NOT_NUMERIC and ±Infinity FEATURE_NOT_FINITE before anything is learned.
 */
export interface TransformImpl<S> {
  /** What transform this is, e.g. `'quantileClip'`: its default name, recorded in snapshots. */
  readonly kind: string;
  /** A field's state before it has learned a value. Omit it for a stateless transform (state `null`). */
  init?(): S;
  /**
   * `field`'s state after learning `x`: `state` changed in place, or a new one. Omit it for a
   * stateless transform.
   */
  learn?(state: S, x: number, field: string): S;
  /** `x` transformed with `field`'s `state`, which it must not change (`null` when stateless). */
  transform(state: S, x: number, field: string): number;
  /** True when `state` has the shape of one field's state; `restore` checks each entry. Needed with `init`. */
  isState?(state: unknown): state is S;
}

const what = 'a state of this transform';

/**
 * Builds a {@link Transform} from how one numeric field is transformed (and learned): the
 * object form on records, the stage (`learn: false` freezes it), snapshots of `{ field: state }`
 * (`null` when stateless), and the row form that `vectorize` and `compose` run in place, on the
 * same `impl`, so either form's snapshot restores the other. `clip` and `logTransform` are made
 * with it.
 */
export function defineTransform<T extends object = FeatureMap, S = null>(
  impl: TransformImpl<S>,
  options: FieldTransformOptions<T> = {},
): Transform<T, T> {
  const kind = (impl as Partial<TransformImpl<S>> | undefined)?.kind;
  if (typeof kind !== 'string' || kind === '')
    throw invalidOption('kind', 'a non-empty string', kind);
  if (typeof impl.transform !== 'function') {
    throw invalidOption('transform', 'a function (state, x, field) => number', impl.transform);
  }
  if (impl.learn !== undefined && impl.init === undefined) {
    throw invalidOption('init', 'a function (learn needs a state to learn into)', impl.init);
  }
  if (impl.init !== undefined && typeof impl.isState !== 'function') {
    throw invalidOption(
      'isState',
      'a function checking a restored state (with init)',
      impl.isState,
    );
  }
  const fields = checkFields('fields', options?.fields, false);
  return assembleTransform<T, T>(
    kind,
    options,
    impl.init === undefined
      ? statelessParts(kind, fields, impl)
      : statefulParts(kind, fields, impl),
  );
}

/** Applies `impl.transform` in place to the present values of `slots`, with `states[i]` for slot i. */
function transformRow<S>(
  impl: TransformImpl<S>,
  row: Float64Array,
  slots: Int32Array,
  names: readonly string[],
  states: readonly S[],
): void {
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    const v = row[s]!;
    if (!Number.isNaN(v)) row[s] = impl.transform(states[i]!, v, names[i]!);
  }
}

function statelessParts<T extends object, S>(
  kind: string,
  fields: readonly string[] | undefined,
  impl: TransformImpl<S>,
): TransformParts<T, T> {
  const none = null as S;
  return stateless<T, T>(
    kind,
    (x) => mapNumeric(kind, x, fields, (f, v) => impl.transform(none, v, f)),
    (layout) => {
      const { names, slots } = rowSlots(kind, fields, layout);
      const states = names.map(() => none);
      return (row) => transformRow(impl, row, slots, names, states);
    },
  );
}

function statefulParts<T extends object, S>(
  kind: string,
  fields: readonly string[] | undefined,
  impl: TransformImpl<S>,
): TransformParts<T, T> {
  const init = impl.init!;
  const isState = impl.isState!;
  const learn = impl.learn;
  const learnInto = (state: S, x: number, field: string): S =>
    learn === undefined ? state : learn(state, x, field);
  // field → state, for the fields learned so far; the others are transformed with a fresh state.
  let states = new Map<string, S>();
  const blank = init();
  return {
    learn(x) {
      forEachNumeric(kind, x, fields, (f, v) => {
        states.set(f, learnInto(states.get(f) ?? init(), v, f));
      });
    },
    transform: (x) =>
      mapNumeric(kind, x, fields, (f, v) => impl.transform(states.get(f) ?? blank, v, f)),
    reset() {
      states = new Map();
    },
    getState: () => Object.fromEntries(states),
    setState(state) {
      states = readEntries(kind, state, isState, what);
    },
    bindRow(layout) {
      const { names, slots } = rowSlots(kind, fields, layout);
      // Per slot: its state, and whether it has learned (only those are in the snapshot, as in
      // the object form).
      let st: S[] = [];
      let learned: boolean[] = [];
      const fresh = () => {
        st = names.map(() => init());
        learned = names.map(() => false);
      };
      fresh();
      return defineRow(kind, {
        learn(row) {
          for (let i = 0; i < slots.length; i++) {
            const v = row[slots[i]!]!;
            if (Number.isNaN(v)) continue;
            st[i] = learnInto(st[i]!, v, names[i]!);
            learned[i] = true;
          }
        },
        transform: (row) => transformRow(impl, row, slots, names, st),
        reset: fresh,
        getState() {
          const out: Record<string, S> = {};
          names.forEach((f, i) => {
            if (learned[i]) out[f] = st[i]!;
          });
          return out;
        },
        setState(state) {
          if (!isPlainObject(state)) throw snapshotError(kind, 'state must be an object', state);
          const next = names.map((f) => {
            const e = state[f];
            if (e !== undefined && !isState(e))
              throw snapshotError(kind, `entry "${f}" must be ${what}`, e);
            return e;
          });
          st = next.map((e) => (e === undefined ? init() : e));
          learned = next.map((e) => e !== undefined);
        },
      });
    },
  };
}
