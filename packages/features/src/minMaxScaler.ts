import { invalidOption } from '@tributary/core';
import type { FeatureMap } from './featureMap.js';
import { assembleTransform } from './internal/assembleTransform.js';
import { defineRow, rowSlots } from './internal/defineRow.js';
import { checkFields, forEachNumeric, mapNumeric } from './internal/fields.js';
import { isNumberTuple, isPlainObject, readEntries, snapshotError } from './internal/guards.js';
import { withEntryMerge } from './internal/mergeEntries.js';
import type { MergeableTransform } from './mergeableTransform.js';
import type { TransformOptions } from './transform.js';

/** Options of {@link minMaxScaler}. */
export interface MinMaxScalerOptions<T> extends TransformOptions {
  /** Fields to scale. Default: every field holding a number (in a row: every input column). */
  readonly fields?: readonly (keyof NoInfer<T> & string)[];
  /** Clamp results into [0, 1] (matters when transforming values outside the learned range). Default false. */
  readonly clip?: boolean;
}

const isRange = (v: unknown): v is [number, number] => isNumberTuple(v, 2);

/** `(x - min) / (max - min)` with the range at offset `o` of `r` ([min, max]; min > max: empty → 0). */
function minMaxAt(r: { [i: number]: number }, o: number, x: number, clip: boolean): number {
  const lo = r[o]!;
  const span = r[o + 1]! - lo;
  const y = span > 0 ? (x - lo) / span : 0;
  return clip ? Math.min(1, Math.max(0, y)) : y;
}

/** Widens the range at offset `o` of `r` to hold `x`. */
function extendAt(r: { [i: number]: number }, o: number, x: number): void {
  if (x < r[o]!) r[o] = x;
  if (x > r[o + 1]!) r[o + 1] = x;
}

/**
 * Scales numeric fields into [0, 1] with the running minimum and maximum:
 * `(x - min) / (max - min)`, where a zero range yields 0 (as River's `MinMaxScaler`).
 * Missing values are neither learned nor changed; other fields pass through.
 */
export function minMaxScaler<T extends object = FeatureMap>(
  options: MinMaxScalerOptions<T> = {},
): MergeableTransform<T, T> {
  const kind = 'minMaxScaler';
  const fields = checkFields('fields', options.fields, false);
  const clip = options.clip ?? false;
  if (typeof clip !== 'boolean') throw invalidOption('clip', 'a boolean', clip);
  // field → [min, max]
  let ranges = new Map<string, [number, number]>();

  const none: [number, number] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const scale = (field: string, x: number): number =>
    minMaxAt(ranges.get(field) ?? none, 0, x, clip);

  const t = assembleTransform<T, T>(kind, options, {
    learn(x) {
      forEachNumeric(kind, x, fields, (f, v) => {
        const r = ranges.get(f);
        if (r === undefined) ranges.set(f, [v, v]);
        else extendAt(r, 0, v);
      });
    },
    transform: (x) => mapNumeric(kind, x, fields, scale),
    reset() {
      ranges = new Map();
    },
    getState: () => Object.fromEntries(ranges),
    setState(state) {
      ranges = readEntries(kind, state, isRange, '[min, max]');
    },
    bindRow(layout) {
      const { names, slots } = rowSlots(kind, fields, layout);
      const k = slots.length;
      const fresh = () => {
        const r = new Float64Array(2 * k);
        for (let i = 0; i < k; i++) {
          r[2 * i] = Number.POSITIVE_INFINITY;
          r[2 * i + 1] = Number.NEGATIVE_INFINITY;
        }
        return r;
      };
      let r = fresh();
      return defineRow(kind, {
        learn(row) {
          for (let i = 0; i < k; i++) {
            const v = row[slots[i]!]!;
            if (!Number.isNaN(v)) extendAt(r, 2 * i, v);
          }
        },
        transform(row) {
          for (let i = 0; i < k; i++) {
            const s = slots[i]!;
            const v = row[s]!;
            if (!Number.isNaN(v)) row[s] = minMaxAt(r, 2 * i, v, clip);
          }
        },
        reset() {
          r = fresh();
        },
        getState() {
          const out: Record<string, [number, number]> = {};
          for (let i = 0; i < k; i++)
            if (r[2 * i]! <= r[2 * i + 1]!) out[names[i]!] = [r[2 * i]!, r[2 * i + 1]!];
          return out;
        },
        setState(state) {
          if (!isPlainObject(state)) throw snapshotError(kind, 'state must be an object', state);
          const next = fresh();
          names.forEach((f, i) => {
            const e = state[f];
            if (e === undefined) return;
            if (!isRange(e)) throw snapshotError(kind, `entry "${f}" must be [min, max]`, e);
            next.set(e, 2 * i);
          });
          r = next;
        },
      });
    },
  });
  // Exact: the range of all the records is the min of the minima and the max of the maxima.
  return withEntryMerge<T, T, [number, number]>(
    t,
    () => minMaxScaler<T>(options),
    (own, r) => (own === undefined ? r : [Math.min(own[0], r[0]), Math.max(own[1], r[1])]),
  );
}
