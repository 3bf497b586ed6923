import { invalidOption } from '@tributary/core';
import type { FeatureMap } from './featureMap.js';
import { assembleTransform } from './internal/assembleTransform.js';
import { compiled } from './internal/compiled.js';
import { defineRow } from './internal/defineRow.js';
import { checkFields, isMissing } from './internal/fields.js';
import { isPlainObject, snapshotError } from './internal/guards.js';
import type { Transform, TransformOptions } from './transform.js';

// Integer categories below this are found by index in a row (`codeOf`), not in a Map.
const SMALL = 256;

/** The columns a one-hot encoding of fields `F` adds: `"<field>=<category>"` → 0 or 1. */
export type OneHotColumns<F extends string> = { readonly [K in `${F}=${string}`]: number };

/** Options of {@link oneHotEncoder}. */
export interface OneHotEncoderOptions<F extends string> extends TransformOptions {
  /** Categorical fields to encode; each is replaced by its columns. */
  readonly fields: readonly F[];
  /**
   * Most categories kept per field (default unbounded). Later new categories, like categories
   * unseen while not learning, set the field's unknown column.
   */
  readonly maxCategories?: number;
  /**
   * Known categories per field, first in the column order. A field with categories and no
   * `maxCategories` has a fixed vocabulary (others set its unknown column). The row form
   * (`vectorize`, `compose`) needs a fixed width per field: its categories or `maxCategories`.
   */
  readonly categories?: { readonly [K in F]?: readonly (string | number | boolean)[] };
  /** Name of the unknown bucket, so its column is `"<field>=<unknown>"`. Default `'__unknown__'`. */
  readonly unknown?: string;
}

/** A one-hot encoder; `columns()` lists its output columns in their stable order. */
export interface OneHotEncoder<T, F extends string>
  extends Transform<T, Omit<T, F> & OneHotColumns<F>> {
  /** Output columns now: per field, categories in first-seen order, then the unknown bucket. */
  columns(): readonly string[];
}

/**
 * One-hot encodes categorical fields with an online vocabulary. Output is dense over the
 * vocabulary so far: every known column of a field is present (0 or 1), so a vector assembler
 * sees stable names. A missing value (`null`, `undefined`, `NaN`) sets no column. Values are
 * compared as strings (`1` and `'1'` are one category).
 */
export function oneHotEncoder<
  T extends object = FeatureMap,
  F extends keyof T & string = keyof T & string,
>(options: OneHotEncoderOptions<F>): OneHotEncoder<T, F> {
  const kind = 'oneHotEncoder';
  const fields = checkFields('fields', options?.fields, true) as readonly F[];
  const max = options.maxCategories ?? Number.POSITIVE_INFINITY;
  if (!(max === Number.POSITIVE_INFINITY || (Number.isInteger(max) && max >= 1))) {
    throw invalidOption('maxCategories', 'an integer >= 1', max);
  }
  const unknown = options.unknown ?? '__unknown__';
  if (typeof unknown !== 'string' || unknown === '') {
    throw invalidOption('unknown', 'a non-empty string', unknown);
  }
  const given = (options.categories ?? {}) as Readonly<
    Record<string, readonly unknown[] | undefined>
  >;
  if (!isPlainObject(given))
    throw invalidOption('categories', 'an object of field → categories', given);
  const initial = new Map<string, readonly string[]>();
  for (const f of fields) {
    const cats = given[f];
    if (cats === undefined) continue;
    const ok =
      Array.isArray(cats) &&
      cats.every((c) => ['string', 'number', 'boolean'].includes(typeof c)) &&
      new Set(cats.map(String)).size === cats.length;
    if (!ok) throw invalidOption(`categories.${f}`, 'an array of distinct categories', cats);
    initial.set(f, cats.map(String));
  }
  // Most categories per field: maxCategories, else the given ones (fixed), else unbounded.
  const limit = (f: string): number =>
    options.maxCategories !== undefined
      ? Math.max(max, initial.get(f)?.length ?? 0)
      : (initial.get(f)?.length ?? max);
  const freshVocab = () =>
    new Map<string, Map<string, number>>(
      fields.map((f) => [f, new Map((initial.get(f) ?? []).map((c, i) => [c, i]))]),
    );
  // field → category → position; Map keeps first-seen order.
  let vocab = freshVocab();

  const categoryOf = (v: unknown): string | undefined => (isMissing(v) ? undefined : String(v));
  const learn = (x: T): void => {
    const rec = x as Record<string, unknown>;
    for (const f of fields) {
      const c = categoryOf(rec[f]);
      const cats = vocab.get(f)!;
      if (c !== undefined && c !== unknown && !cats.has(c) && cats.size < limit(f))
        cats.set(c, cats.size);
    }
  };
  const transform = (x: T): Omit<T, F> & OneHotColumns<F> => {
    const out: Record<string, unknown> = { ...(x as Record<string, unknown>) };
    for (const f of fields) {
      const c = categoryOf(out[f]);
      delete out[f];
      const cats = vocab.get(f)!;
      for (const known of cats.keys()) out[`${f}=${known}`] = known === c ? 1 : 0;
      out[`${f}=${unknown}`] = c !== undefined && !cats.has(c) ? 1 : 0;
    }
    return out as Omit<T, F> & OneHotColumns<F>;
  };

  const base = assembleTransform<T, Omit<T, F> & OneHotColumns<F>>(kind, options, {
    learn,
    transform,
    reset() {
      vocab = freshVocab();
    },
    getState: () => Object.fromEntries(fields.map((f) => [f, [...vocab.get(f)!.keys()]])),
    setState(state) {
      if (!isPlainObject(state)) throw snapshotError(kind, 'state must be an object', state);
      const next = new Map<string, Map<string, number>>();
      for (const f of fields) {
        const cats = state[f];
        if (!Array.isArray(cats) || !cats.every((c) => typeof c === 'string')) {
          throw snapshotError(kind, `field "${f}" must list its categories as strings`, cats);
        }
        next.set(f, new Map(cats.map((c, i) => [c as string, i])));
      }
      vocab = next;
    },
    bindRow(layout) {
      // Per field: `cap` category slots (named as categories are learned), then the unknown slot.
      const blocks = fields.map((f) => {
        const cap = limit(f);
        if (!Number.isFinite(cap)) {
          throw invalidOption(
            'maxCategories',
            `a bound, or categories for "${f}" (a row has a fixed width)`,
            options.maxCategories,
          );
        }
        const first = layout.append([
          ...Array.from({ length: cap }, (_, i) => `${f}=#${i}`),
          `${f}=${unknown}`,
        ]);
        return {
          field: f,
          cap,
          first,
          vocab: new Map<string, number>(),
          // The same positions keyed by number, for the categories that are a number's text
          // (`String(n) === c`): a numeric value finds its column without `String()`.
          numeric: new Map<number, number>(),
          // And the positions of the integers 0 to SMALL - 1 among them, by index (else `cap`).
          small: new Int32Array(SMALL).fill(cap),
        };
      });
      type Block = (typeof blocks)[number];
      const add = (b: Block, c: string): void => {
        const i = b.vocab.size;
        b.vocab.set(c, i);
        const n = Number(c);
        if (String(n) === c) {
          b.numeric.set(n, i);
          if (Number.isInteger(n) && n >= 0 && n < SMALL) b.small[n] = i;
        }
        layout.rename(b.first + i, `${b.field}=${c}`);
      };
      // Cleared in place: the row program holds the maps.
      const adopt = (b: Block, cats: readonly string[]) => {
        b.vocab.clear();
        b.numeric.clear();
        b.small.fill(b.cap);
        for (let i = 0; i < b.cap; i++) layout.rename(b.first + i, `${b.field}=#${i}`);
        for (const c of cats) add(b, c);
      };
      // Column of value `v` in its block: a category's position, `cap` (unknown) or -1
      // (missing). The same as looking up `String(v)`, as the object form does.
      const codeOf = (b: Block, v: unknown): number => {
        if (typeof v === 'number') {
          if (v >>> 0 === v && v < SMALL) return b.small[v]!;
          return Number.isNaN(v) ? -1 : (b.numeric.get(v) ?? b.cap);
        }
        if (typeof v === 'string') return b.vocab.get(v) ?? b.cap;
        if (v === null || v === undefined) return -1;
        return b.vocab.get(String(v)) ?? b.cap;
      };
      // The blocks are appended one after the other: one contiguous range to clear in a row
      // this step has not written yet. In the rows it has written, the columns are as it left
      // them (RowLayout.append): it clears only the column it set there per block.
      const start = blocks[0]!.first;
      const end = blocks[blocks.length - 1]!.first + blocks[blocks.length - 1]!.cap + 1;
      const rows: Float64Array[] = [];
      const setIn: Int32Array[] = [];
      const setOf = (row: Float64Array): Int32Array => {
        for (let i = 0; i < rows.length; i++) if (rows[i] === row) return setIn[i]!;
        row.fill(0, start, end);
        // vectorize uses two rows; a few more are kept, the oldest forgotten (cleared again).
        if (rows.length === 4) {
          rows.shift();
          setIn.shift();
        }
        rows.push(row);
        setIn.push(new Int32Array(blocks.length).fill(-1));
        return setIn[setIn.length - 1]!;
      };
      // The record's values and columns per block, read once per record (`read`, which
      // vectorize calls after decoding): learn and the transforms of one record share them,
      // the columns until the vocabulary changes.
      // `version` counts vocabulary changes; `seenVersion` is the one `codes` were found with.
      const st: { seen: object | undefined; version: number; seenVersion: number } = {
        seen: undefined,
        version: 0,
        seenVersion: -1,
      };
      const codes = new Int32Array(blocks.length);
      const values: unknown[] = blocks.map(() => undefined);
      const readFields = compiled<(rec: Record<string, unknown>, out: unknown[]) => void>(
        (rec, out) => {
          for (let j = 0; j < blocks.length; j++) out[j] = rec[blocks[j]!.field];
        },
        [],
        `return (rec, out) => { ${fields.map((f, j) => `out[${j}] = rec[${JSON.stringify(f)}];`).join(' ')} };`,
      );
      const recode = (): void => {
        st.seenVersion = st.version;
        for (let j = 0; j < blocks.length; j++) codes[j] = codeOf(blocks[j]!, values[j]);
      };
      const load = (value: object): void => {
        st.seen = value;
        const rec = value as Record<string, unknown>;
        readFields(rec, values);
        recode();
      };
      const read = (value: object): void => {
        if (value !== st.seen) load(value);
        else if (st.seenVersion !== st.version) recode();
      };
      const fresh = () => {
        for (const b of blocks) adopt(b, initial.get(b.field) ?? []);
        st.version++;
      };
      fresh();
      // Block `j` learns the record's category, whose code is the unknown one, if it has room.
      const learnAt = (j: number): void => {
        const c = String(values[j]);
        if (c === unknown) return;
        add(blocks[j]!, c);
        st.version++;
      };
      const learnRow = (_row: Float64Array, value: object): void => {
        read(value);
        for (let j = 0; j < blocks.length; j++) {
          const b = blocks[j]!;
          if (codes[j] === b.cap && b.vocab.size < b.cap) learnAt(j);
        }
      };
      return defineRow(kind, {
        read: load,
        learn: learnRow,
        transform(row, value) {
          read(value);
          const set = setOf(row);
          for (let j = 0; j < blocks.length; j++) {
            const code = codes[j]!;
            const slot = code < 0 ? -1 : blocks[j]!.first + code;
            if (set[j] !== slot) {
              if (set[j]! >= 0) row[set[j]!] = 0;
              if (slot >= 0) row[slot] = 1;
              set[j] = slot;
            }
          }
        },
        // `transform` unrolled per field, with the blocks' first slots folded in.
        source(p, rows) {
          const [S, C, V, B] = [`${p}st`, `${p}codes`, `${p}values`, `${p}blocks`];
          const sync = `if (value !== ${S}.seen) ${p}load(value); else if (${S}.seenVersion !== ${S}.version) ${p}recode();\n`;
          // `load`, with `codeOf`'s small-integer case inline.
          const read =
            `${S}.seen = value; ${S}.seenVersion = ${S}.version;\n` +
            fields
              .map(
                (f, j) =>
                  `{ const v = value[${JSON.stringify(f)}]; ${V}[${j}] = v; ` +
                  `${C}[${j}] = typeof v === 'number' && v >>> 0 === v && v < ${SMALL} ? ${p}small${j}[v] : ${p}codeOf(${B}[${j}], v); }`,
              )
              .join('\n');
          // `learnRow` after the sync: a new category only where the code is the unknown one.
          const learn = blocks
            .map(
              (b, j) =>
                `if (${C}[${j}] === ${b.cap} && ${B}[${j}].vocab.size < ${b.cap}) ${p}learnAt(${j});`,
            )
            .join('\n');
          const transform = (row: string): string =>
            sync +
            `{ const set = ${p}set_${row}; let code, slot;\n` +
            blocks
              .map(
                (b, j) =>
                  `code = ${C}[${j}]; slot = code < 0 ? -1 : ${b.first} + code; ` +
                  `if (set[${j}] !== slot) { if (set[${j}] >= 0) ${row}[set[${j}]] = 0; if (slot >= 0) ${row}[slot] = 1; set[${j}] = slot; }`,
              )
              .join('\n') +
            ' }';
          return {
            args: {
              [S]: st,
              [C]: codes,
              [V]: values,
              [B]: blocks,
              [`${p}codeOf`]: codeOf,
              [`${p}load`]: load,
              [`${p}recode`]: recode,
              // Each row's set columns, bound once: the program transforms only these rows.
              ...Object.fromEntries(
                Object.entries(rows).map(([n, r]) => [`${p}set_${n}`, setOf(r)]),
              ),
              [`${p}learnAt`]: learnAt,
              ...Object.fromEntries(blocks.map((b, j) => [`${p}small${j}`, b.small])),
            },
            read,
            transform,
            learnTransform: (row) => `${sync}${learn}\n${transform(row)}`,
          };
        },
        reset: fresh,
        getState: () => Object.fromEntries(blocks.map((b) => [b.field, [...b.vocab.keys()]])),
        setState(state) {
          if (!isPlainObject(state)) throw snapshotError(kind, 'state must be an object', state);
          const next = blocks.map((b) => {
            const cats = state[b.field];
            const ok =
              Array.isArray(cats) &&
              cats.length <= b.cap &&
              cats.every((c) => typeof c === 'string');
            if (!ok) {
              throw snapshotError(
                kind,
                `field "${b.field}" must list at most ${b.cap} categories`,
                cats,
              );
            }
            return cats as string[];
          });
          for (let i = 0; i < blocks.length; i++) adopt(blocks[i]!, next[i]!);
          st.version++;
        },
      });
    },
  });
  return {
    ...base,
    columns: () =>
      fields.flatMap((f) => [
        ...[...vocab.get(f)!.keys()].map((c) => `${f}=${c}`),
        `${f}=${unknown}`,
      ]),
  };
}
