import { invalidOption } from '@tributary/core';
import type { FeatureMap, FeatureValue } from './featureMap.js';
import { assembleTransform } from './internal/assembleTransform.js';
import { defineRow } from './internal/defineRow.js';
import { checkNumeric, isMissing } from './internal/fields.js';
import { isPlainObject, snapshotError } from './internal/guards.js';
import type { Transform, TransformOptions } from './transform.js';

/** How one field is imputed: its running mean, its most frequent value, or a constant. */
export type ImputeStrategy =
  | 'mean'
  | 'mode'
  | {
      /** The value that fills the field when it is missing (a number in the row form). */
      readonly constant: FeatureValue;
    };

/** Options of {@link imputer}. */
export interface ImputerOptions<T> extends TransformOptions {
  /** Strategy per field to fill. */
  readonly fields: { readonly [K in keyof NoInfer<T>]?: ImputeStrategy };
}

// Per field: running [n, mean], or category counts in first-seen order (value kept with its type).
type FieldState =
  | { kind: 'mean'; n: number; mean: number }
  | { kind: 'mode'; counts: Map<string, [FeatureValue, number]> }
  | { kind: 'constant'; value: FeatureValue };

/**
 * Fills missing values (`null`, `undefined`, `NaN`) with a running statistic of the values seen.
 * `'mean'` gives 0 before any value is seen (as River's `StatImputer`); `'mode'` breaks ties by
 * first appearance and leaves the value missing before any is seen. Present values pass through.
 * The row form (`vectorize`, `compose`) fills numeric columns: `'mean'` and numeric constants.
 */
export function imputer<T extends object = FeatureMap>(
  options: ImputerOptions<T>,
): Transform<T, T> {
  const kind = 'imputer';
  const spec = options?.fields as Readonly<Record<string, ImputeStrategy | undefined>> | undefined;
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) {
    throw invalidOption('fields', 'an object of field → strategy', spec);
  }
  const fields = Object.keys(spec);
  for (const f of fields) {
    const s = spec[f];
    const ok = s === 'mean' || s === 'mode' || (isPlainObject(s) && 'constant' in s);
    if (!ok) throw invalidOption(`fields.${f}`, "'mean', 'mode' or { constant }", s);
  }
  const fresh = (): Map<string, FieldState> =>
    new Map(
      fields.map((f): [string, FieldState] => {
        const s = spec[f]!;
        if (s === 'mean') return [f, { kind: 'mean', n: 0, mean: 0 }];
        if (s === 'mode') return [f, { kind: 'mode', counts: new Map() }];
        return [f, { kind: 'constant', value: s.constant }];
      }),
    );
  let state = fresh();
  const tag = (v: FeatureValue): string => `${typeof v}:${String(v)}`;

  const fill = (st: FieldState): FeatureValue => {
    if (st.kind === 'constant') return st.value;
    if (st.kind === 'mean') return st.mean;
    let best: FeatureValue;
    let top = 0;
    for (const [value, c] of st.counts.values()) {
      if (c > top) {
        top = c;
        best = value;
      }
    }
    return best;
  };

  const getState = () => {
    const out: Record<string, unknown> = {};
    for (const [f, st] of state) {
      if (st.kind === 'mean') out[f] = { n: st.n, mean: st.mean };
      else if (st.kind === 'mode') out[f] = { counts: [...st.counts.values()] };
    }
    return out;
  };

  return assembleTransform<T, T>(kind, options, {
    learn(x) {
      const rec = x as Record<string, unknown>;
      // Check first, so a bad record changes no statistics.
      for (const f of fields) {
        const v = rec[f];
        if (state.get(f)!.kind === 'mean') checkNumeric(kind, f, v);
      }
      for (const f of fields) {
        const v = rec[f];
        if (isMissing(v)) continue;
        const st = state.get(f)!;
        if (st.kind === 'mean') {
          st.n += 1;
          st.mean += ((v as number) - st.mean) / st.n;
        } else if (st.kind === 'mode') {
          const key = tag(v as FeatureValue);
          const entry = st.counts.get(key);
          if (entry === undefined) st.counts.set(key, [v as FeatureValue, 1]);
          else entry[1] += 1;
        }
      }
    },
    transform(x) {
      const rec = x as Record<string, unknown>;
      let out: Record<string, unknown> | undefined;
      for (const f of fields) {
        if (!isMissing(rec[f])) {
          if (state.get(f)!.kind === 'mean') checkNumeric(kind, f, rec[f]);
          continue;
        }
        const value = fill(state.get(f)!);
        if (value === undefined) continue;
        out ??= { ...rec };
        out[f] = value;
      }
      return (out ?? x) as T;
    },
    reset() {
      state = fresh();
    },
    getState,
    setState(raw) {
      if (!isPlainObject(raw)) throw snapshotError(kind, 'state must be an object', raw);
      const next = fresh();
      for (const [f, st] of next) {
        const s = raw[f];
        if (st.kind === 'mean') {
          if (!isPlainObject(s) || typeof s.n !== 'number' || typeof s.mean !== 'number') {
            throw snapshotError(kind, `field "${f}" must be { n, mean }`, s);
          }
          st.n = s.n;
          st.mean = s.mean;
        } else if (st.kind === 'mode') {
          const counts = isPlainObject(s) ? s.counts : undefined;
          if (
            !Array.isArray(counts) ||
            !counts.every((e) => Array.isArray(e) && e.length === 2 && typeof e[1] === 'number')
          ) {
            throw snapshotError(kind, `field "${f}" must be { counts: [value, count][] }`, s);
          }
          for (const [value, c] of counts as [FeatureValue, number][])
            st.counts.set(tag(value), [value, c]);
        }
      }
      state = next;
    },
    bindRow(layout) {
      for (const f of fields) {
        const st = spec[f]!;
        if (st === 'mode' || (st !== 'mean' && typeof st.constant !== 'number')) {
          throw invalidOption(`fields.${f}`, "'mean' or a numeric { constant } in a row", st);
        }
      }
      const slots = Int32Array.from(fields, (f) => layout.input(f));
      const isMean = fields.map((f) => spec[f] === 'mean');
      const k = fields.length;
      // Per field: [n, mean] for 'mean', [0, constant] for constants.
      let m = new Float64Array(2 * k);
      const fresh = () => {
        m = new Float64Array(2 * k);
        fields.forEach((f, i) => {
          const st = spec[f]!;
          if (st !== 'mean' && st !== 'mode') m[2 * i + 1] = st.constant as number;
        });
      };
      fresh();
      return defineRow(kind, {
        learn(row) {
          for (let i = 0; i < k; i++) {
            const v = row[slots[i]!]!;
            if (Number.isNaN(v) || !isMean[i]) continue;
            const n = m[2 * i]! + 1;
            m[2 * i] = n;
            m[2 * i + 1] = m[2 * i + 1]! + (v - m[2 * i + 1]!) / n;
          }
        },
        transform(row) {
          for (let i = 0; i < k; i++) {
            const s = slots[i]!;
            if (Number.isNaN(row[s])) row[s] = m[2 * i + 1]!;
          }
        },
        reset: fresh,
        getState() {
          const out: Record<string, unknown> = {};
          fields.forEach((f, i) => {
            if (isMean[i]) out[f] = { n: m[2 * i]!, mean: m[2 * i + 1]! };
          });
          return out;
        },
        setState(raw) {
          if (!isPlainObject(raw)) throw snapshotError(kind, 'state must be an object', raw);
          const next = new Float64Array(m);
          fields.forEach((f, i) => {
            if (!isMean[i]) return;
            const e = raw[f];
            if (!isPlainObject(e) || !Number.isFinite(e.n) || !Number.isFinite(e.mean)) {
              throw snapshotError(kind, `field "${f}" must be { n, mean }`, e);
            }
            next[2 * i] = e.n as number;
            next[2 * i + 1] = e.mean as number;
          });
          m = next;
        },
      });
    },
  });
}
