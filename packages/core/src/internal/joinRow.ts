import { invalidOption } from '../errors.js';
import type { StageContext } from '../stage.js';

/** Checks the options both table joins share; true for a left join. */
export function joinIsLeft(options: {
  readonly table?: unknown;
  readonly kind?: unknown;
}): boolean {
  if (typeof options?.table !== 'string' || options.table.length === 0) {
    throw invalidOption('table', 'the table topic name', options?.table);
  }
  if (options.kind !== undefined && options.kind !== 'inner' && options.kind !== 'left') {
    throw invalidOption('kind', "'inner' or 'left'", options.kind);
  }
  return options.kind === 'left';
}

/** A stream value with its key's row; `undefined` (dropped, counted `unmatched`) in an inner join without one. */
export function joinRow<S, T>(
  value: S,
  row: T | undefined,
  left: boolean,
  ctx: Pick<StageContext, 'count'>,
): { readonly value: S; readonly row: T | undefined } | undefined {
  if (row === undefined && !left) {
    ctx.count('unmatched');
    return undefined;
  }
  return { value, row };
}
