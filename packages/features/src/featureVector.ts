import {
  invalidOption,
  type StageContext,
  type StageObject,
  TributaryError,
} from '@tributary/core';
import { isMissing, notFinite } from './internal/fields.js';
import { isPlainObject } from './internal/guards.js';

/** Options of {@link featureVector}. */
export interface FeatureVectorOptions<T> {
  /** Step name in metrics, logs and dead-letter headers. Default `'featureVector'`. */
  readonly name?: string;
  /**
   * Feature names in column order. Default: discovered online, in first-seen order, from fields
   * holding numbers, booleans (1/0) or numeric arrays; the vector then grows when new ones appear.
   */
  readonly columns?: readonly string[];
  /** Fields never discovered as features (e.g. an id or the label). */
  readonly exclude?: readonly string[];
  /** Value for an absent, `null` or `NaN` feature. Default: throw FEATURE_MISSING. */
  readonly missing?: number;
  /** Picks the features from the stage input. Default: the input itself. */
  readonly select?: (value: T) => object;
}

/** The stage output: the input, its vector, and the column names (for explanations). */
export interface FeatureVector<T> {
  /** The stage input, unchanged. */
  readonly value: T;
  /** The feature vector, a new array per record, in the order of `names`. */
  readonly x: Float64Array;
  /** `names[i]` names `x[i]`; array features are named `field[j]`. Same array until columns change. */
  readonly names: readonly string[];
}

/** A feature-vector assembler: a stage, plus direct `assemble`. */
export interface FeatureVectorAssembler<T> extends StageObject<T, FeatureVector<T>> {
  readonly name: string;
  /** The vector of a feature map (discovering new columns unless `columns` was given). */
  assemble(features: object): Float64Array;
  /** Column names now. */
  names(): readonly string[];
  /** The columns and array widths, so a restored assembler keeps the same order. */
  snapshot(): {
    /** Each column as `[name, width]`: 1 for a scalar, the length of an array, `null` while unseen. */
    readonly columns: readonly (readonly [string, number | null])[];
  };
  /** Adopts a snapshot's columns; throws FEATURE_SNAPSHOT_INVALID for other data. */
  restore(snapshot: unknown): void;
  /** Outputs the value with its vector and column names. */
  readonly process: (value: T, ctx: StageContext) => FeatureVector<T>;
}

/**
 * Assembles named features into a Float64Array with a stable column order. Numbers go as is,
 * booleans as 1/0, numeric arrays (e.g. from `featureHasher`) expand into `field[j]`; other
 * values (strings) are not features (encode them first) and fail as FEATURE_NOT_NUMERIC when
 * listed in `columns`.
 */
export function featureVector<T = Record<string, unknown>>(
  options: FeatureVectorOptions<T> = {},
): FeatureVectorAssembler<T> {
  const fixed = options.columns !== undefined;
  if (
    fixed &&
    (!Array.isArray(options.columns) ||
      !options.columns.every((c) => typeof c === 'string') ||
      new Set(options.columns).size !== options.columns.length)
  ) {
    throw invalidOption('columns', 'an array of distinct names', options.columns);
  }
  const exclude = new Set(options.exclude ?? []);
  const missing = options.missing;
  if (missing !== undefined && typeof missing !== 'number') {
    throw invalidOption('missing', 'a number', missing);
  }
  const select = options.select ?? ((v: T) => v as object);
  if (typeof select !== 'function') throw invalidOption('select', 'a function', select);
  // column → width (1 for scalars, n for arrays, null while unknown)
  let columns = new Map<string, number | null>((options.columns ?? []).map((c) => [c, null]));
  let names: readonly string[] = [];
  let namesValid = false;

  const widthOf = (v: unknown): number | null | undefined => {
    if (typeof v === 'number' || typeof v === 'boolean') return 1;
    if (v instanceof Float64Array || v instanceof Float32Array) return v.length;
    if (Array.isArray(v) && v.every((e) => typeof e === 'number')) return v.length;
    return undefined;
  };
  const currentNames = (): readonly string[] => {
    if (!namesValid) {
      names = [...columns].flatMap(([c, w]) =>
        w === null || w === 1 ? [c] : Array.from({ length: w }, (_, j) => `${c}[${j}]`),
      );
      namesValid = true;
    }
    return names;
  };

  const assemble = (features: object): Float64Array => {
    const rec = features as Record<string, unknown>;
    if (!fixed) {
      for (const f in rec) {
        if (columns.has(f) || exclude.has(f)) continue;
        const w = widthOf(rec[f]);
        if (w !== undefined) {
          columns.set(f, w);
          namesValid = false;
        }
      }
    }
    const absent: string[] = [];
    let size = 0;
    for (const [c, w] of columns) {
      const v = rec[c];
      if (isMissing(v)) {
        if (missing === undefined) absent.push(c);
        else if (w === null) {
          // Never seen: a filled column is taken to be a scalar.
          columns.set(c, 1);
          namesValid = false;
        }
        size += w ?? 1;
        continue;
      }
      if (typeof v === 'number' && !Number.isFinite(v)) throw notFinite('featureVector', c, v);
      const vw = widthOf(v);
      if (vw === undefined || vw === null) {
        throw new TributaryError('FEATURE_NOT_NUMERIC', `featureVector: "${c}" is not numeric`, {
          details: { field: c, type: typeof v },
        });
      }
      if (w === null) {
        columns.set(c, vw);
        namesValid = false;
      } else if (vw !== w) {
        throw new TributaryError(
          'FEATURE_SHAPE_MISMATCH',
          `featureVector: "${c}" has ${vw} values, expected ${w}`,
          { details: { field: c, expected: w, got: vw } },
        );
      }
      size += vw;
    }
    if (absent.length > 0) {
      throw new TributaryError(
        'FEATURE_MISSING',
        `featureVector: missing ${absent.map((a) => `"${a}"`).join(', ')}`,
        { details: { missing: absent } },
      );
    }
    const x = new Float64Array(size);
    let i = 0;
    for (const [c, w] of columns) {
      const v = rec[c];
      if (isMissing(v)) {
        x.fill(missing!, i, i + w!);
        i += w!;
      } else if (typeof v === 'number') x[i++] = v;
      else if (typeof v === 'boolean') x[i++] = v ? 1 : 0;
      else {
        const arr = v as ArrayLike<number>;
        for (let j = 0; j < arr.length; j++) x[i++] = arr[j]!;
      }
    }
    return x;
  };

  return {
    name: options.name ?? 'featureVector',
    assemble,
    names: currentNames,
    process(value) {
      const x = assemble(select(value));
      return { value, x, names: currentNames() };
    },
    snapshot: () => ({ columns: [...columns] }),
    restore(snapshot) {
      const cols = isPlainObject(snapshot) ? snapshot.columns : undefined;
      const ok =
        Array.isArray(cols) &&
        cols.every(
          (e) =>
            Array.isArray(e) &&
            e.length === 2 &&
            typeof e[0] === 'string' &&
            (e[1] === null || (Number.isInteger(e[1]) && e[1] >= 0)),
        );
      if (!ok) {
        throw new TributaryError(
          'FEATURE_SNAPSHOT_INVALID',
          'featureVector.restore(): expected { columns }',
          {
            details: { got: typeof snapshot },
          },
        );
      }
      columns = new Map(cols as [string, number | null][]);
      namesValid = false;
    },
  };
}
