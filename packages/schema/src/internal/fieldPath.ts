/** A field path as keys: `'a.b'` → `['a', 'b']`. */
export function splitPath(path: string): string[] {
  return path.split('.');
}

/** The value at `path` (dotted) in `value`, or undefined when any step is missing. */
export function getField(value: unknown, path: readonly string[]): unknown {
  let cur = value;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * A copy of `value` with the field at `path` replaced by `update(old)`, copying only the
 * objects on the path (inputs stay untouched). Missing paths are left as they are;
 * `update` returning `REMOVE` deletes the field.
 */
export function updateField(
  value: unknown,
  path: readonly string[],
  update: (old: unknown) => unknown,
): unknown {
  return updateFrom(value, path, 0, update);
}

// `updateField` from `path[at]` on: an index instead of a rest array per step and record.
function updateFrom(
  value: unknown,
  path: readonly string[],
  at: number,
  update: (old: unknown) => unknown,
): unknown {
  const key = path[at];
  if (key === undefined || typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  if (!Object.hasOwn(obj, key)) return value;
  const next =
    at + 1 === path.length ? update(obj[key]) : updateFrom(obj[key], path, at + 1, update);
  const copy: Record<string, unknown> = Array.isArray(value)
    ? ([...value] as unknown as Record<string, unknown>)
    : { ...obj };
  if (next === REMOVE) delete copy[key];
  else copy[key] = next;
  return copy;
}

/** Returned by an `updateField` callback to delete the field. */
export const REMOVE: unique symbol = Symbol('remove');
