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
      // [n, mean, m2] per slot, contiguous; changed in place (the row program holds it).
      const m = new Float64Array(3 * k);
      // Each slot's standard deviation as of its last change (0 before any value), which the
      // row program's `transform` reads instead of computing it again.
      const sds = new Float64Array(k);
      const setSd = (i: number): void => {
        const n = m[3 * i]!;
        sds[i] = n > 0 ? Math.sqrt(m[3 * i + 2]! / n) : 0;
      };
      return defineRow(kind, {
        learn(row) {
          for (let i = 0; i < k; i++) {
            const v = row[slots[i]!]!;
            if (Number.isNaN(v)) continue;
            rowMoments.add(m, 3 * i, v);
            setSd(i);
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
          m.fill(0);
          sds.fill(0);
        },
        // The same arithmetic unrolled per column, with the options folded in.
        source(p) {
          const scaled = (row: string, i: number, mean: string, sd: string): string => {
            const centred = withMean ? `(v - ${mean})` : 'v';
            if (!withStd) return `${row}[${slots[i]}] = ${centred};`;
            return `const sd = ${sd}; ${row}[${slots[i]}] = sd === 0 ? 0 : ${centred} / sd;`;
          };
          const M = `${p}m`;
          const each = (row: string, col: (i: number, o: number) => string): string =>
            Array.from(
              { length: k },
              (_, i) => `{ const v = ${row}[${slots[i]}]; if (v === v) { ${col(i, 3 * i)} } }`,
            ).join('\n');
          const SD = `${p}sds`;
          return {
            args: { [M]: m, [SD]: sds },
            transform: (row) =>
              each(row, (i, o) => scaled(row, i, `${M}[${o + 1}]`, `${SD}[${i}]`)),
            learnTransform: (row) =>
              each(
                row,
                (i, o) =>
                  `const n = ${M}[${o}] + 1; const d = v - ${M}[${o + 1}]; const mean = ${M}[${o + 1}] + d / n; ` +
                  `${M}[${o}] = n; ${M}[${o + 1}] = mean; ${M}[${o + 2}] = ${M}[${o + 2}] + d * (v - mean); ` +
                  scaled(row, i, 'mean', `${SD}[${i}] = Math.sqrt(${M}[${o + 2}] / n)`),
              ),
          };
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
          m.set(next);
          for (let i = 0; i < k; i++) setSd(i);
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
