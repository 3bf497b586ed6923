import { invalidOption } from '@tributary/core';
import { splitPath } from './fieldPath.js';

/** Checks a list of dotted field paths and splits them; fails fast naming `option`. */
export function fieldList(option: string, fields: unknown): (readonly [string, string[]])[] {
  if (
    !Array.isArray(fields) ||
    fields.length === 0 ||
    !fields.every((f) => typeof f === 'string' && f !== '' && !f.split('.').includes(''))
  ) {
    throw invalidOption(option, 'a non-empty array of dotted field paths', fields);
  }
  return (fields as string[]).map((f) => [f, splitPath(f)] as const);
}
