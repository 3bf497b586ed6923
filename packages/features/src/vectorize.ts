import { invalidOption, TributaryError } from '@tributary/core';
import { compiled } from './internal/compiled.js';
import { notFinite, notNumeric } from './internal/fields.js';
import { isPlainObject } from './internal/guards.js';
import { Layout } from './internal/rowLayout.js';
import { rowSource } from './internal/rowSource.js';
import type { RowStep, RowTransform } from './rowTransform.js';
import type { TransformSnapshot } from './transformSnapshot.js';

/** Snapshot of a {@link Vectorizer}: its columns and each step's snapshot, in order. */
export interface VectorizerSnapshot {
  /** Always `'vectorize'`; `restore` checks it. */
  readonly kind: 'vectorize';
  /** Format version, 1; `restore` checks it. */
  readonly version: 1;
  /** Column names in row order when the snapshot was taken (not read by `restore`). */
  readonly names: readonly string[];
  /** Each step's snapshot, in step order; `restore` needs one per step and restores all or none. */
  readonly steps: readonly TransformSnapshot[];
}

/**
 * Transforms run on one reused `Float64Array` row with a layout fixed once: records are decoded
 * straight into the row, which each step scales, encodes or fills in place.
 */
export interface Vectorizer {
  /** Row length (the model's input dimension). */
  readonly width: number;
  /** Column names in row order (one-hot slots are named as their categories are learned). */
  names(): readonly string[];
  /**
   * The row of `value` with the current statistics; learns nothing. The row is reused and
   * read-only: copy it to keep or change it.
   */
  transform(value: object): Float64Array;
  /**
   * Learns from `value` as River's pipelines do: each step learns, then transforms the row for
   * the next one. Returns the row transformed with the updated statistics (reused, as `transform`).
   */
  learn(value: object): Float64Array;
  /**
   * Decodes `value` once, returns its row with the current statistics (as `transform`), and
   * keeps the decoding so that {@link learnDecoded} can learn it without decoding again.
   */
  transformAndKeep(value: object): Float64Array;
  /** `learn` for the value of the last {@link transformAndKeep}. */
  learnDecoded(value: object): Float64Array;
  /** Forgets everything learned. */
  reset(): void;
  /** The columns and every step's state, as plain JSON. */
  snapshot(): VectorizerSnapshot;
  /** Restores every step, or throws FEATURE_SNAPSHOT_INVALID and changes nothing. */
  restore(snapshot: unknown): void;
}

// One input column: numbers as they are, booleans 1/0, null/undefined/NaN missing (NaN).
function decodeOne(name: string, v: unknown): number {
  if (typeof v === 'number') {
    if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
      throw notFinite('vectorize', name, v);
    }
    return v;
  }
  if (v === null || v === undefined) return Number.NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw notNumeric('vectorize', name, v);
}

/** The four per-record entry points of a {@link Vectorizer}. */
type RowOps = Pick<Vectorizer, 'transform' | 'learn' | 'transformAndKeep' | 'learnDecoded'>;

/**
 * The row program of one vectorizer: its four entry points generated as source over the fixed
 * layout (see `compiled`), each one function with one literal property read per input column,
 * every step's work inline (`RowSource`) and no per-step call, so each vectorizer's program
 * has type feedback of its own. `fallback` (the same work as closures) where code generation
 * is not allowed.
 */
function compileRowProgram(
  fallback: RowOps,
  inputs: readonly string[],
  slots: Int32Array,
  kernels: readonly RowTransform[],
  rows: { readonly row: Float64Array; readonly kept: Float64Array; readonly check: Float64Array },
  missingError: (r: Float64Array) => TributaryError,
): RowOps {
  // Steps transform `row` and `check`; `kept` only holds decoded inputs.
  const transformed = { row: rows.row, check: rows.check };
  const sources = kernels.map((kr, j) => rowSource(kr, `s${j}_`, transformed));
  const args: Record<string, unknown> = { ...rows, missingError, one: decodeOne };
  for (const src of sources) Object.assign(args, src.args);
  const decode = (targets: readonly string[]): string =>
    inputs
      .map((name, i) => {
        const key = JSON.stringify(name);
        const store = targets.map((t) => `${t}[${slots[i]}] = `).join('');
        return `v = value[${key}]; x = typeof v === 'number' && v - v === 0 ? v : one(${key}, v); if (x !== x) missing++; ${store}x;`;
      })
      .concat(sources.flatMap((src) => (src.read === undefined ? [] : [src.read])))
      .join('\n');
  const nanTests = (r: string) => Array.from(slots, (sl) => `${r}[${sl}] !== ${r}[${sl}]`);
  // Only input columns can be missing (appended columns are never NaN, see RowLayout.append).
  const apply = (r: string): string =>
    `${sources.map((src) => src.transform(r)).join('\n')}\n` +
    (slots.length === 0 ? '' : `if (${nanTests(r).join(' || ')}) throw missingError(${r});`);
  const copy = (from: string, to: string) =>
    Array.from(slots, (sl) => `${to}[${sl}] = ${from}[${sl}];`).join(' ');
  // Learns from the decoded `row`; `missing` > 0 first checks that the result is complete.
  const learnRow =
    `if (missing > 0) { ${copy('row', 'check')}\n${apply('check')} }\n` +
    sources.map((src) => src.learnTransform('row')).join('\n');
  const body = `let keptMissing = 0;
return {
  transform(value) { let v, x, missing = 0;\n${decode(['row'])}\n${apply('row')}\nreturn row; },
  learn(value) { let v, x, missing = 0;\n${decode(['row'])}\n${learnRow}\nreturn row; },
  transformAndKeep(value) { let v, x, missing = 0;\n${decode(['kept', 'row'])}\nkeptMissing = missing;\n${apply('row')}\nreturn row; },
  learnDecoded(value) { ${copy('kept', 'row')}\nconst missing = keptMissing;\n${learnRow}\nreturn row; },
};`;
  const names = Object.keys(args);
  return compiled(fallback, names, body, ...names.map((n) => args[n]));
}

/**
 * Binds `steps` (transforms and {@link inputColumns}) to one row layout, in order. Input columns
 * are decoded from the record fields of the same name: numbers as they are, booleans as 1/0,
 * `null`/`undefined`/NaN as missing (NaN in the row); text throws FEATURE_NOT_NUMERIC and
 * ±Infinity FEATURE_NOT_FINITE, before any step learns. A value still missing after the last
 * step (e.g. not imputed) throws FEATURE_MISSING, also before any learning. Steps start
 * untrained (bind fresh transforms, or restore a snapshot).
 */
export function vectorize(steps: readonly RowStep[]): Vectorizer {
  if (!Array.isArray(steps) || !steps.every((s) => typeof s?.bindRow === 'function')) {
    throw invalidOption('steps', 'transforms or inputColumns (objects with bindRow)', steps);
  }
  const layout = new Layout();
  const kernels: readonly RowTransform[] = steps.map((s) => s.bindRow(layout));
  const width = layout.names.length;
  const readers = kernels.filter((kr) => kr.read !== undefined);
  // Decodes `value` into `out`, returning how many inputs were missing.
  const decodeRecord = (value: object, out: Float64Array): number => {
    const rec = value as Record<string, unknown>;
    let missing = 0;
    for (let i = 0; i < inputs.length; i++) {
      const x = decodeOne(inputs[i]!, rec[inputs[i]!]);
      if (Number.isNaN(x)) missing++;
      out[slots[i]!] = x;
    }
    for (let j = 0; j < readers.length; j++) readers[j]!.read!(value);
    return missing;
  };
  const inputs = [...layout.inputs];
  const slots = Int32Array.from(layout.inputSlots);
  const k = kernels.length;
  const row = new Float64Array(width);
  const kept = new Float64Array(width);
  const check = new Float64Array(width);

  // Only input columns can be missing (appended columns are never NaN, see RowLayout.append).
  const apply = (r: Float64Array, value: object): Float64Array => {
    for (let j = 0; j < k; j++) kernels[j]!.transform(r, value);
    for (let i = 0; i < slots.length; i++) if (Number.isNaN(r[slots[i]!])) throw missingError(r);
    return r;
  };
  // Rows share only their input columns: a step's appended columns stay as it last wrote them
  // in that row (RowLayout.append), so it may update them in place.
  const copyInputs = (from: Float64Array, to: Float64Array): void => {
    for (let i = 0; i < slots.length; i++) to[slots[i]!] = from[slots[i]!]!;
  };
  const missingError = (r: Float64Array): TributaryError => {
    const absent = layout.names.filter((_, i) => Number.isNaN(r[i]));
    return new TributaryError(
      'FEATURE_MISSING',
      `vectorize: missing ${absent.map((a) => `"${a}"`).join(', ')} (impute them or drop the record)`,
      { details: { missing: absent }, retryable: false },
    );
  };
  // Learns from the decoded `row`; `missing` > 0 first checks that the result is complete.
  const learnRow = (value: object, missing: number): Float64Array => {
    if (missing > 0) {
      copyInputs(row, check);
      apply(check, value);
    }
    for (let j = 0; j < k; j++) {
      kernels[j]!.learn(row, value);
      kernels[j]!.transform(row, value);
    }
    return row;
  };
  let keptMissing = 0;
  const ops = compileRowProgram(
    {
      transform(value) {
        decodeRecord(value, row);
        return apply(row, value);
      },
      learn(value) {
        return learnRow(value, decodeRecord(value, row));
      },
      transformAndKeep(value) {
        keptMissing = decodeRecord(value, kept);
        copyInputs(kept, row);
        return apply(row, value);
      },
      learnDecoded(value) {
        copyInputs(kept, row);
        return learnRow(value, keptMissing);
      },
    },
    inputs,
    slots,
    kernels,
    { row, kept, check },
    missingError,
  );

  return {
    width,
    names: () => [...layout.names],
    transform: ops.transform,
    learn: ops.learn,
    transformAndKeep: ops.transformAndKeep,
    learnDecoded: ops.learnDecoded,
    reset() {
      for (const kr of kernels) kr.reset();
    },
    snapshot: () => ({
      kind: 'vectorize',
      version: 1,
      names: [...layout.names],
      steps: kernels.map((kr) => kr.snapshot()),
    }),
    restore(snapshot) {
      const s = snapshot as Partial<VectorizerSnapshot> | null;
      const stepsOk =
        isPlainObject(s) &&
        s.kind === 'vectorize' &&
        s.version === 1 &&
        Array.isArray(s.steps) &&
        s.steps.length === k;
      if (!stepsOk) {
        throw new TributaryError(
          'FEATURE_SNAPSHOT_INVALID',
          `vectorize.restore(): expected { kind: 'vectorize', version: 1, steps } with ${k} steps`,
          { details: { got: typeof snapshot } },
        );
      }
      // All or nothing: keep the current states to put back if a later step rejects its own.
      const before = kernels.map((kr) => kr.snapshot());
      try {
        for (let j = 0; j < k; j++) kernels[j]!.restore(s.steps![j]);
      } catch (e) {
        for (let j = 0; j < k; j++) kernels[j]!.restore(before[j]);
        throw e;
      }
    },
  };
}
