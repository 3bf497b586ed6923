import { errorMessage, isTributaryError } from '@tributary/core';
import { sinkError } from './sinkError.js';

// SQLSTATE classes worth retrying: connection exception, transaction rollback (deadlock,
// serialisation failure), insufficient resources, operator intervention, system error.
const TRANSIENT = new Set(['08', '40', '53', '57', '58']);

/** Where a failed statement's rows came from, to name the bad record and column. */
export interface StatementRows {
  readonly columns: readonly string[];
  /** Batch index of each row of the write. */
  readonly rows: readonly number[];
  /** First row of the failed statement. */
  readonly from: number;
}

/**
 * SINK_POSTGRES_REJECTED (data the server refuses; not retried) or SINK_POSTGRES_FAILED
 * (everything else: lost connection, deadlock…; retried), with the SQLSTATE and, when the
 * server tells, the column and the record of the batch.
 */
export function postgresError(
  sink: string,
  table: string,
  error: unknown,
  statement: StatementRows | undefined,
) {
  if (isTributaryError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    severity?: unknown;
    column?: unknown;
    constraint?: unknown;
    detail?: unknown;
    where?: unknown;
  };
  // Server errors carry a severity and a five-character SQLSTATE; socket errors do not.
  const sqlState =
    typeof e.severity === 'string' && typeof e.code === 'string' && e.code.length === 5
      ? e.code
      : undefined;
  const details: Record<string, unknown> = { table };
  if (sqlState !== undefined) details.sqlState = sqlState;
  else if (typeof e.code === 'string') details.errno = e.code;
  if (typeof e.constraint === 'string') details.constraint = e.constraint;
  if (typeof e.detail === 'string') details.detail = e.detail;
  let column = typeof e.column === 'string' ? e.column : undefined;
  const param = typeof e.where === 'string' ? /parameter \$(\d+)/.exec(e.where) : null;
  if (param !== null && statement !== undefined) {
    const n = Number(param[1]) - 1;
    const width = statement.columns.length;
    column ??= statement.columns[n % width];
    details.index = statement.rows[statement.from + Math.floor(n / width)];
  }
  if (column !== undefined) details.column = column;
  const where = [
    details.index === undefined ? '' : `record ${details.index} of the batch`,
    column === undefined ? '' : `column "${column}"`,
  ]
    .filter((s) => s !== '')
    .join(', ');
  const reason = errorMessage(error);
  const retryable = sqlState === undefined || TRANSIENT.has(sqlState.slice(0, 2));
  return sinkError(
    retryable ? 'SINK_POSTGRES_FAILED' : 'SINK_POSTGRES_REJECTED',
    `${sink}: ${where === '' ? '' : `${where}: `}${reason}${sqlState === undefined ? '' : ` (SQLSTATE ${sqlState})`}`,
    { cause: error, details, retryable },
  );
}
