import { invalidOption } from '@tributary/core';
import { learnError } from './errors.js';

/** Fails fast unless `value` is a finite number > 0 (or >= 0 with `allowZero`). */
export function positive(option: string, value: number, allowZero = false): number {
  const ok = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok)
    throw invalidOption(option, allowZero ? 'a finite number >= 0' : 'a finite number > 0', value);
  return value;
}

/** Fails fast unless `value` is an integer >= `min`. */
export function integer(option: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw invalidOption(option, `an integer >= ${min}`, value);
  }
  return value;
}

/** Fails fast unless `value` is a finite number in [lo, hi]. */
export function between(option: string, value: number, lo: number, hi: number): number {
  if (!(Number.isFinite(value) && value >= lo && value <= hi)) {
    throw invalidOption(option, `a number in [${lo}, ${hi}]`, value);
  }
  return value;
}

/**
 * Checks a feature vector against the learner's dimension and for NaN/Infinity, which would
 * otherwise poison the model silently. Returns the dimension (fixed by the first vector when
 * `dim` is -1).
 */
export function checkVector(x: Float64Array, dim: number): number {
  if (!(x instanceof Float64Array)) {
    throw learnError('LEARN_DIMENSION_MISMATCH', 'Expected a Float64Array feature vector', {
      got: typeof x,
    });
  }
  if (dim >= 0 && x.length !== dim) {
    throw learnError(
      'LEARN_DIMENSION_MISMATCH',
      `Feature vector has ${x.length} values, the learner expects ${dim}`,
      { expected: dim, got: x.length },
    );
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) {
      throw learnError('LEARN_NON_FINITE', `Feature ${i} is ${x[i]}`, { index: i, value: x[i] });
    }
  }
  return x.length;
}

/** Checks a sample weight (default 1). */
export function checkWeight(weight: number): number {
  if (!(Number.isFinite(weight) && weight >= 0)) {
    throw learnError('LEARN_NON_FINITE', `Sample weight must be finite and >= 0, got ${weight}`, {
      weight,
    });
  }
  return weight;
}

/** Checks a real-valued target. */
export function checkTarget(y: number): number {
  if (!Number.isFinite(y)) throw learnError('LEARN_NON_FINITE', `Target is ${y}`, { target: y });
  return y;
}

/** Checks a binary label. */
export function checkBoolean(y: boolean): boolean {
  if (typeof y !== 'boolean') {
    throw learnError('LEARN_BAD_LABEL', 'Binary label must be a boolean', { label: y });
  }
  return y;
}

/** Checks a class id. */
export function checkClass(y: number): number {
  if (!(Number.isInteger(y) && y >= 0)) {
    throw learnError('LEARN_BAD_LABEL', `Class id must be an integer >= 0, got ${y}`, { label: y });
  }
  return y;
}
