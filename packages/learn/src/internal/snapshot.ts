import type { JsonValue, LearnerSnapshot } from '../learner.js';
import { learnError } from './errors.js';

/** A JSON object as read from a snapshot. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** Validates a snapshot's envelope and type; returns its options and state object. */
export function openSnapshot(
  snapshot: unknown,
  type: string,
): { options: JsonObject; state: JsonObject } {
  if (!isObject(snapshot)) throw bad(type, 'snapshot is not an object');
  if (snapshot.type !== type) {
    throw learnError(
      'LEARN_BAD_SNAPSHOT',
      `Snapshot of type ${JSON.stringify(snapshot.type)} cannot restore a ${type}`,
      { expected: type, got: snapshot.type },
    );
  }
  if (snapshot.version !== 1) throw bad(type, `unsupported version ${String(snapshot.version)}`);
  const { options, state } = snapshot;
  if (!isObject(options)) throw bad(type, '`options` is not an object');
  if (!isObject(state)) throw bad(type, '`state` is not an object');
  return { options, state };
}

/** Builds a snapshot envelope. */
export function makeSnapshot(type: string, options: object, state: JsonObject): LearnerSnapshot {
  // Options objects hold only JSON values (optimizer specs are plain data); drop undefined keys.
  const clean: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined) clean[k] = v as JsonValue;
  return { type, version: 1, options: clean, state };
}

/** A number field of a snapshot object. */
export function num(obj: JsonObject, key: string): number {
  const v = obj[key];
  if (typeof v !== 'number') throw bad('', `field \`${key}\` is not a number`);
  return v;
}

/** An object field of a snapshot object. */
export function obj(o: JsonObject, key: string): JsonObject {
  const v = o[key];
  if (!isObject(v)) throw bad('', `field \`${key}\` is not an object`);
  return v;
}

/** An array field of a snapshot object. */
export function arr(o: JsonObject, key: string): readonly JsonValue[] {
  const v = o[key];
  if (!Array.isArray(v)) throw bad('', `field \`${key}\` is not an array`);
  return v as readonly JsonValue[];
}

/** Reads an array of numbers (`null` stands for `nullAs`, e.g. an infinite bound) into a Float64Array. */
export function f64(
  o: JsonObject,
  key: string,
  length?: number,
  nullAs = Number.NaN,
): Float64Array<ArrayBuffer> {
  return toF64(o[key], key, length, nullAs);
}

/** Converts a JSON array of numbers to a Float64Array, checking its length. */
export function toF64(
  v: JsonValue | undefined,
  key: string,
  length?: number,
  nullAs = Number.NaN,
): Float64Array<ArrayBuffer> {
  if (!Array.isArray(v)) throw bad('', `field \`${key}\` is not an array`);
  if (length !== undefined && v.length !== length) {
    throw bad('', `field \`${key}\` has ${v.length} values, expected ${length}`);
  }
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    if (typeof e === 'number') out[i] = e;
    else if (e === null && !Number.isNaN(nullAs)) out[i] = nullAs;
    else throw bad('', `field \`${key}\`[${i}] is not a number`);
  }
  return out;
}

/** A Float64Array as a JSON array; non-finite values become `null` (read back with `nullAs`). */
export function json(a: Float64Array | readonly number[]): number[] | (number | null)[] {
  const out: (number | null)[] = new Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    out[i] = Number.isFinite(v) ? v : null;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(type: string, why: string) {
  return learnError('LEARN_BAD_SNAPSHOT', `Malformed ${type || 'learner'} snapshot: ${why}`, {
    reason: why,
  });
}
