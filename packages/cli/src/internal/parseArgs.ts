import { usageError } from './usageError.js';

/** An integer option value at least `min`, for commander's `argParser`. */
export function integerArg(name: string, min: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw usageError(`${name} must be an integer >= ${min}, got "${text}"`, { option: name });
    }
    return n;
  };
}

/** Epoch milliseconds from `1717171717000`, an ISO 8601 date/time, or `now`. */
export function parseTimestamp(text: string, name = '--to-timestamp'): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (t === 'now') return Date.now();
  // Date-only and date-time ISO forms; Date.parse alone also takes loose forms like "1 2 3".
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return ms;
  }
  throw usageError(
    `${name} must be epoch milliseconds or an ISO 8601 date/time (e.g. 2024-05-01T12:00:00Z), got "${text}"`,
    { option: name },
  );
}

/** One `--where` condition on a dead letter: `field=value` (exact) or `field~=text` (contains). */
export interface WhereClause {
  readonly field: WhereField;
  readonly op: '=' | '~=';
  readonly value: string;
}

/** Fields `--where` may test; each is a dead-letter header. */
export const whereFields = [
  'code',
  'stage',
  'message',
  'topic',
  'partition',
  'offset',
  'attempts',
] as const;
export type WhereField = (typeof whereFields)[number];

/** Parses a `--where` value; commander collects repeated ones with {@link collectWhere}. */
export function parseWhere(text: string): WhereClause {
  const m = /^([a-z]+)(~?=)(.*)$/.exec(text);
  if (m === null) {
    throw usageError(`--where takes field=value or field~=text, got "${text}"`, {
      option: '--where',
    });
  }
  const field = m[1] as WhereField;
  if (!whereFields.includes(field)) {
    throw usageError(`--where: unknown field "${m[1]}" (one of ${whereFields.join(', ')})`, {
      option: '--where',
    });
  }
  return { field, op: m[2] as '=' | '~=', value: m[3] as string };
}

/** commander reducer for a repeatable `--where`. */
export function collectWhere(text: string, previous: readonly WhereClause[] = []): WhereClause[] {
  return [...previous, parseWhere(text)];
}

/** One of `choices`, for commander's `argParser` where `.choices()` is not enough (typed). */
export function choiceArg<T extends string>(
  name: string,
  choices: readonly T[],
): (text: string) => T {
  return (text) => {
    if ((choices as readonly string[]).includes(text)) return text as T;
    throw usageError(`${name} must be one of ${choices.join(', ')}, got "${text}"`, {
      option: name,
    });
  };
}
