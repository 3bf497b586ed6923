import type { StandardSchemaV1 } from '@standard-schema/spec';

/** One validation problem, as plain data: where (`path`), what (`message`) and a stable `code`. */
export interface SchemaIssue {
  /** Keys from the root to the offending value; `[]` is the value itself. */
  readonly path: readonly (string | number)[];
  /** What is wrong there, as the schema library says it. */
  readonly message: string;
  /** The schema library's issue code (zod's `invalid_type`, `too_small`, ...), or `invalid`. */
  readonly code: string;
}

/** Turns Standard Schema issues into {@link SchemaIssue}s (plain, JSON-safe data). */
export function toSchemaIssues(issues: readonly StandardSchemaV1.Issue[]): SchemaIssue[] {
  return issues.map((issue) => {
    const code = (issue as { code?: unknown }).code;
    return {
      path: (issue.path ?? []).map(segmentKey),
      message: issue.message,
      code: typeof code === 'string' ? code : 'invalid',
    };
  });
}

/** A path as text, e.g. `items[0].price`; the root is `$`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out === '' ? '$' : out;
}

/** A path with array indexes folded to `[*]`, so per-path counters stay few (`items[*].price`). */
export function pathPattern(path: readonly (string | number)[]): string {
  return formatPath(path.map((seg) => (typeof seg === 'number' ? -1 : seg))).replace(
    /\[-1\]/g,
    '[*]',
  );
}

function segmentKey(segment: PropertyKey | StandardSchemaV1.PathSegment): string | number {
  const key = typeof segment === 'object' ? segment.key : segment;
  if (typeof key === 'number') return key;
  return typeof key === 'symbol' ? (key.description ?? 'symbol') : key;
}
