import { invalidOption } from '@tributary/core';
import type { FeatureMap } from './featureMap.js';
import { assembleTransform } from './internal/assembleTransform.js';
import { defineRow, rowSlots } from './internal/defineRow.js';
import { checkFields, forEachNumeric, mapNumeric } from './internal/fields.js';
import { isNumberTuple, isPlainObject, readEntries, snapshotError } from './internal/guards.js';
import { withEntryMerge } from './internal/mergeEntries.js';
import {
  addMoment,
  type Moments,
  mergeMoments,
  rowMoments,
  standardizeAt,
} from './internal/welford.js';
import type { MergeableTransform } from './mergeableTransform.js';
import type { TransformOptions } from './transform.js';

/** Options of {@link standardScaler}. */
export interface StandardScalerOptions<T> extends TransformOptions {
  /** Fields to scale. Default: every field holding a number (in a row: every input column). */
  readonly fields?: readonly (keyof NoInfer<T> & string)[];
  /** Subtract the running mean (default true). */
  readonly withMean?: boolean;
  /** Divide by the running population standard deviation (default true). */
  readonly withStd?: boolean;
}

const isMoments = (v: unknown): v is Moments => isNumberTuple(v, 3);

/**
 * Standardises numeric fields to zero mean and unit variance with running (Welford) statistics:
 * `(x - mean) / std`, where a zero std yields 0 (as River's `StandardScaler`). Missing values
 * (`null`, `undefined`, `NaN`) are neither learned nor changed; other fields pass through.
 */
export function standardScaler<T extends object = FeatureMap>(
  options: StandardScalerOptions<T> = {},
): MergeableTransform<T, T> {
  const kind = 'standardScaler';
  const fields = checkFields('fields', options.fields, false);
  const withMean = options.withMean ?? true;
  const withStd = options.withStd ?? true;
  if (typeof withMean !== 'boolean') throw invalidOption('withMean', 'a boolean', withMean);
  if (typeof withStd !== 'boolean') throw invalidOption('withStd', 'a boolean', withStd);
  let stats = new Map<string, Moments>();
  const empty: Moments = [0, 0, 0];
  const scale = (field: string, x: number): number =>
    standardizeAt(stats.get(field) ?? empty, 0, x, withMean, withStd);

  const t = assembleTransform<T, T>(kind, options, {
    learn(x) {
      forEachNumeric(kind, x, fields, (f, v) => {
        let m = stats.get(f);
        if (m === undefined) {
          m = [0, 0, 0];
          stats.set(f, m);
        }
        addMoment(m, v);
      });
    },
    transform: (x) => mapNumeric(kind, x, fields, scale),
    reset() {
      stats = new Map();
    },
    getState: () => Object.fromEntries(stats),
    setState(state) {
      stats = readEntries(kind, state, isMoments, '[n, mean, m2]');
    },
    bindRow(layout) {
      const { names, slots } = rowSlots(kind, fields, layout);
      const k = slots.length;
      // [n, mean, m2] per slot, contiguous.
      let m = new Float64Array(3 * k);
      return defineRow(kind, {
        learn(row) {
          for (let i = 0; i < k; i++) {
            const v = row[slots[i]!]!;
            if (!Number.isNaN(v)) rowMoments.add(m, 3 * i, v);
          }
        },
        transform(row) {
          for (let i = 0; i < k; i++) {
            const s = slots[i]!;
            const v = row[s]!;
            if (!Number.isNaN(v)) row[s] = rowMoments.standardize(m, 3 * i, v, withMean, withStd);
          }
        },
        reset() {
          m = new Float64Array(3 * k);
        },
        getState() {
          const out: Record<string, Moments> = {};
          for (let i = 0; i < k; i++) {
            if (m[3 * i]! > 0) out[names[i]!] = [m[3 * i]!, m[3 * i + 1]!, m[3 * i + 2]!];
          }
          return out;
        },
        setState(state) {
          if (!isPlainObject(state)) throw snapshotError(kind, 'state must be an object', state);
          const next = new Float64Array(3 * k);
          names.forEach((f, i) => {
            const e = state[f];
            if (e === undefined) return;
            if (!isMoments(e)) throw snapshotError(kind, `entry "${f}" must be [n, mean, m2]`, e);
            next.set(e, 3 * i);
          });
          m = next;
        },
      });
    },
  });
  // Exact: Chan's merge of each field's (n, mean, m2) gives the statistics of all the records.
  return withEntryMerge<T, T, Moments>(
    t,
    () => standardScaler<T>(options),
    (own = [0, 0, 0], m) => {
      mergeMoments(own, m);
      return own;
    },
  );
}
