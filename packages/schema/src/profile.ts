import { invalidOption, mulberry32, type StageContext, type StageObject } from '@tributary/core';
import {
  type DriftOptions,
  type DriftReport,
  drift,
  driftDefaults,
  type FieldDrift,
} from './drift.js';
import { getField, splitPath } from './internal/fieldPath.js';
import {
  type FieldSketch,
  type SketchData,
  type SketchLimits,
  sketchAdd,
  sketchCreate,
  sketchFromData,
  sketchMerge,
  sketchToData,
} from './internal/fieldSketch.js';
import { hllEstimate } from './internal/hyperLogLog.js';
import type { FieldProfile, ProfileReport } from './profileReport.js';

/** A drift alarm or its end, raised by {@link profile} when a field crosses a threshold. */
export interface InputDriftEvent {
  /** `'drift'` when a field starts drifting, `'drift-resolved'` when it stops. */
  readonly type: 'drift' | 'drift-resolved';
  /** The field's path. */
  readonly field: string;
  /** The comparison that changed the field's state. */
  readonly result: FieldDrift;
  /** Timestamp of the record that triggered the check. */
  readonly at: number;
  /** Records the stage had seen then. */
  readonly records: number;
}

/** Drift checking inside {@link profile}. */
export interface ProfileDriftOptions extends DriftOptions {
  /** The reference, e.g. a saved `report()` of a known-good period. */
  readonly reference: ProfileReport;
  /**
   * Compare every this many records, once the window is full. Default: one bucket's worth of
   * records (window records / buckets), or 1000 for time windows.
   */
  readonly every?: number;
  /** Called on each {@link InputDriftEvent} (also logged and counted as `drift.<field>`). */
  readonly onDrift?: (event: InputDriftEvent) => void;
}

/** Options of {@link profile}. */
export interface ProfileOptions {
  /** Dotted field paths to profile. Default: the top-level fields of the records seen (up to 100). */
  readonly fields?: readonly string[];
  /** Sliding window: the last N records, or the last N ms of event time. Default `{ records: 10_000 }`. */
  readonly window?:
    | {
        /** Window length in records. */
        readonly records: number;
      }
    | {
        /** Window length in ms of event time. */
        readonly ms: number;
      };
  /** Sub-buckets of the window; it slides one bucket at a time. Default 10. */
  readonly buckets?: number;
  /** Top values reported per field. Default 10. */
  readonly topK?: number;
  /** Distinct text values tracked exactly per bucket; the rest count as `other`. Default 1000. */
  readonly maxCategories?: number;
  /** Numeric values sampled per bucket and in reports (for KS/PSI). Default 1000. */
  readonly sampleSize?: number;
  /** HyperLogLog precision (4..16): 2^p bytes per field and bucket. Default 12 (~1.6% error). */
  readonly hllPrecision?: number;
  /** Seed of the sampling PRNG. Default 1. */
  readonly seed?: number;
  /** Compare the window with a reference profile and raise drift events. Default: none. */
  readonly drift?: ProfileDriftOptions;
  /** Stage name. Default `'profile'` (`'inputDriftMonitor'` for {@link inputDriftMonitor}). */
  readonly name?: string;
}

/** The profiling stage: passes values through unchanged while profiling them. */
export interface ProfileStage<T> extends StageObject<T, T> {
  /** The stage name. */
  readonly name: string;
  /** The profile of the current window (JSON-safe; save it as a drift reference). */
  report(): ProfileReport;
  /** The last drift comparison, if drift checking is on and one ran. */
  lastDrift(): DriftReport | undefined;
}

interface Bucket {
  readonly id: number;
  records: number;
  from: number;
  to: number;
  readonly fields: Map<string, FieldSketch>;
}

const MAX_DISCOVERED_FIELDS = 100;

/**
 * A pass-through stage that profiles fields over a sliding window: per field the null
 * rate, min/max/mean/std, approximate distinct count (HyperLogLog), top values and a
 * sample. With `drift`, it compares the window with a reference every `every` records
 * (PSI, KS) and raises a {@link InputDriftEvent} when a field crosses a threshold or recovers.
 */
export function profile<T = unknown>(options: ProfileOptions = {}): ProfileStage<T> {
  const buckets = positiveInt('buckets', options.buckets ?? 10);
  const window = options.window ?? { records: 10_000 };
  const byRecords = 'records' in window;
  const span = positiveInt(
    byRecords ? 'window.records' : 'window.ms',
    byRecords ? window.records : window.ms,
  );
  const width = Math.max(1, Math.floor(span / buckets));
  const topK = positiveInt('topK', options.topK ?? 10);
  const limits: SketchLimits = {
    maxCategories: positiveInt('maxCategories', options.maxCategories ?? 1000),
    sampleSize: positiveInt('sampleSize', options.sampleSize ?? 1000),
    hllPrecision: options.hllPrecision ?? 12,
  };
  if (
    !Number.isInteger(limits.hllPrecision) ||
    limits.hllPrecision < 4 ||
    limits.hllPrecision > 16
  ) {
    throw invalidOption('hllPrecision', 'an integer in 4..16', options.hllPrecision);
  }
  const given = options.fields?.map((f) => [f, splitPath(f)] as const);
  const driftOptions = options.drift;
  if (driftOptions !== undefined) driftDefaults(driftOptions);
  const every = positiveInt('drift.every', driftOptions?.every ?? (byRecords ? width : 1000));

  const random = mulberry32(options.seed ?? 1);
  const ring: Bucket[] = [];
  const discovered = new Set<string>();
  let seen = 0;
  let last: DriftReport | undefined;
  const drifting = new Set<string>();

  const bucketFor = (ts: number): Bucket | undefined => {
    const id = Math.floor((byRecords ? seen : ts) / width);
    const newest = ring[ring.length - 1];
    if (newest === undefined || id > newest.id) {
      const b: Bucket = { id, records: 0, from: ts, to: ts, fields: new Map() };
      ring.push(b);
      while (ring.length > 0 && ring[0]!.id <= id - buckets) ring.shift();
      return b;
    }
    // Late event-time records land in their bucket while it is still in the window.
    return ring.find((b) => b.id === id);
  };

  const fieldsOf = (value: T): (readonly [string, readonly string[]])[] => {
    if (given !== undefined) return given;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const k of Object.keys(value)) {
        if (discovered.size >= MAX_DISCOVERED_FIELDS) break;
        discovered.add(k);
      }
    }
    return [...discovered].map((f) => [f, [f]] as const);
  };

  const windowFull = (): boolean => {
    if (byRecords) return seen >= span;
    const first = ring[0];
    const newest = ring[ring.length - 1];
    return first !== undefined && newest !== undefined && newest.id - first.id >= buckets - 1;
  };

  const report = (): ProfileReport => {
    const fieldNames = new Set<string>();
    for (const b of ring) for (const f of b.fields.keys()) fieldNames.add(f);
    const fields: Record<string, FieldProfile> = {};
    for (const f of fieldNames) {
      const parts = ring.flatMap((b) => {
        const s = b.fields.get(f);
        return s === undefined ? [] : [s];
      });
      fields[f] = toFieldProfile(sketchMerge(parts, limits, random), topK);
    }
    return {
      version: 1,
      records: ring.reduce((a, b) => a + b.records, 0),
      from: ring.length === 0 ? null : Math.min(...ring.map((b) => b.from)),
      to: ring.length === 0 ? null : Math.max(...ring.map((b) => b.to)),
      fields,
    };
  };

  const checkDrift = (ctx: StageContext) => {
    if (driftOptions === undefined) return;
    last = drift(driftOptions.reference, report(), driftOptions);
    for (const result of last.fields) {
      const was = drifting.has(result.field);
      if (result.drifted === was) continue;
      if (result.drifted) drifting.add(result.field);
      else drifting.delete(result.field);
      const event: InputDriftEvent = {
        type: result.drifted ? 'drift' : 'drift-resolved',
        field: result.field,
        result,
        at: ctx.timestamp,
        records: seen,
      };
      if (result.drifted) {
        ctx.count(`drift.${result.field}`);
        ctx.log.warn(`input drift on ${result.field}`, {
          psi: result.psi,
          ks: result.ks,
          crossed: result.crossed,
        });
      } else {
        ctx.log.info(`input drift on ${result.field} resolved`, { psi: result.psi, ks: result.ks });
      }
      driftOptions.onDrift?.(event);
    }
  };

  return {
    name: options.name ?? 'profile',
    process(value, ctx) {
      const bucket = bucketFor(ctx.timestamp);
      seen++;
      if (bucket === undefined) {
        ctx.count('profile.late');
        return value;
      }
      bucket.records++;
      bucket.from = Math.min(bucket.from, ctx.timestamp);
      bucket.to = Math.max(bucket.to, ctx.timestamp);
      for (const [name, path] of fieldsOf(value)) {
        let sketch = bucket.fields.get(name);
        if (sketch === undefined) {
          sketch = sketchCreate(limits);
          bucket.fields.set(name, sketch);
        }
        sketchAdd(sketch, getField(value, path), limits, random);
      }
      // A partly filled window would be compared with a full reference: wait until it is full.
      if (seen % every === 0 && windowFull()) checkDrift(ctx);
      return value;
    },
    report,
    lastDrift: () => last,
    snapshot: (): ProfileSnapshot => ({
      version: 1,
      seen,
      discovered: [...discovered],
      drifting: [...drifting],
      ring: ring.map((b) => ({
        id: b.id,
        records: b.records,
        from: b.from,
        to: b.to,
        fields: [...b.fields].map(([f, s]) => [f, sketchToData(s)] as const),
      })),
    }),
    restore(snapshot) {
      const s = snapshot as ProfileSnapshot;
      seen = s.seen;
      discovered.clear();
      for (const f of s.discovered) discovered.add(f);
      drifting.clear();
      for (const f of s.drifting) drifting.add(f);
      ring.length = 0;
      for (const b of s.ring) {
        ring.push({
          id: b.id,
          records: b.records,
          from: b.from,
          to: b.to,
          fields: new Map(b.fields.map(([f, d]) => [f, sketchFromData(d)])),
        });
      }
    },
  };
}

interface ProfileSnapshot {
  readonly version: 1;
  readonly seen: number;
  readonly discovered: readonly string[];
  readonly drifting: readonly string[];
  readonly ring: readonly {
    readonly id: number;
    readonly records: number;
    readonly from: number;
    readonly to: number;
    readonly fields: readonly (readonly [string, SketchData])[];
  }[];
}

function toFieldProfile(s: FieldSketch, topK: number): FieldProfile {
  const catCount = [...s.categories.values()].reduce((a, b) => a + b, 0) + s.other;
  return {
    count: s.count,
    nulls: s.nulls,
    nullRate: s.count === 0 ? 0 : s.nulls / s.count,
    // Text values all tracked exactly: their number is exact; otherwise HyperLogLog's estimate.
    distinct:
      s.count - s.nulls === 0
        ? 0
        : s.n === 0 && s.other === 0
          ? s.categories.size
          : Math.round(hllEstimate(s.hll)),
    top: [...s.categories]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, topK)
      .map(([value, count]) => ({ value, count })),
    numeric:
      s.n === 0
        ? null
        : {
            count: s.n,
            min: s.min,
            max: s.max,
            mean: s.mean,
            std: s.n > 1 ? Math.sqrt(s.m2 / (s.n - 1)) : 0,
            sample: s.sample,
          },
    categorical:
      catCount === 0
        ? null
        : { count: catCount, values: Object.fromEntries(s.categories), other: s.other },
  };
}

function positiveInt(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw invalidOption(option, 'an integer ≥ 1', value);
  return value;
}
