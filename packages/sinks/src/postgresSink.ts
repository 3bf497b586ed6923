import { invalidOption, type OutRecord, type Sink } from '@tributary/core';
import pg from 'pg';
import { postgresError } from './internal/postgresError.js';
import { closedError } from './internal/sinkError.js';
import { type ColumnMap, rowOf, upsertStatement } from './internal/upsert.js';

/**
 * How a record becomes a row: a list of the value's fields (column = field name), or one
 * function per column. Objects other than Date, Buffer and arrays are sent as JSON text
 * (for json/jsonb columns); arrays as PostgreSQL arrays (send JSON arrays with a function
 * that returns `JSON.stringify(...)`).
 */
export type PostgresColumns<V> =
  | readonly (keyof V & string)[]
  | Readonly<Record<string, (value: V, record: OutRecord<V>) => unknown>>;

/** Options of {@link postgresSink}. */
export interface PostgresSinkOptions<V> {
  /** A connection URL, `pg` pool settings, or a `pg.Pool` of yours (not ended on close). */
  readonly connection: string | pg.PoolConfig | pg.Pool;
  /** Table, optionally with its schema. Names are quoted as given (case-sensitive). */
  readonly table:
    | string
    | {
        /** The PostgreSQL schema (namespace) of the table. */
        readonly schema: string;
        /** The table's name within `schema`. */
        readonly name: string;
      };
  /** How a record becomes a row: field names, or one function per column. */
  readonly columns: PostgresColumns<V>;
  /**
   * Conflict target: columns of a unique index or primary key. A row whose key exists is
   * updated (`ON CONFLICT (key) DO UPDATE`), so a batch written twice leaves the same rows.
   * Without it rows are only inserted. Within one batch the last record of a key wins.
   */
  readonly key?: readonly string[];
  /** Name in metrics, logs and dead-letter headers. Default `postgres:<table>`. */
  readonly name?: string;
}

/**
 * Writes each batch as multi-row `INSERT … ON CONFLICT (key) DO UPDATE` statements in one
 * transaction, so `write` resolves once the batch is committed (PostgreSQL has flushed it to
 * its WAL under the default synchronous_commit). Identifiers are quoted and values are
 * parameters. Data errors (type mismatch, constraint, unknown column) are
 * SINK_POSTGRES_REJECTED with the SQLSTATE, column and record and are not retried; lost
 * connections, deadlocks and serialisation failures are SINK_POSTGRES_FAILED and are.
 */
export function postgresSink<V>(options: PostgresSinkOptions<V>): Sink<V> {
  const columns = columnMap(options.columns);
  const key = options.key ?? [];
  if (!Array.isArray(key) || key.some((k) => !columns.names.includes(k))) {
    throw invalidOption('key', `a list of the columns (${columns.names.join(', ')})`, options.key);
  }
  const table =
    typeof options.table === 'string'
      ? [options.table]
      : [options.table?.schema, options.table?.name];
  if (table.some((t) => typeof t !== 'string' || t === '')) {
    throw invalidOption('table', 'a table name or { schema, name }', options.table);
  }
  const tableName = table.join('.');
  const name = options.name ?? `postgres:${tableName}`;
  const statement = upsertStatement(table as string[], columns.names, key);
  const connection = options.connection;
  // Duck-typed: the user's pool may come from another copy of pg.
  const ownPool = typeof (connection as Partial<pg.Pool>).connect !== 'function';
  let pool: pg.Pool | undefined = ownPool ? undefined : (connection as pg.Pool);
  let closed = false;

  const getPool = (): pg.Pool => {
    if (pool !== undefined) return pool;
    const config: pg.PoolConfig =
      typeof connection === 'string'
        ? { connectionString: connection }
        : (connection as pg.PoolConfig);
    if (typeof connection !== 'string' && (typeof connection !== 'object' || connection === null)) {
      throw invalidOption('connection', 'a URL, pool settings or a pg.Pool', connection);
    }
    // Writes are one at a time (writeConcurrency 1): one connection, one spare.
    pool = new pg.Pool({ max: 2, ...config });
    // An idle connection the server drops must not crash the process; the next write reconnects.
    pool.on('error', () => {});
    return pool;
  };

  const transaction = async (rows: readonly unknown[][], indexes: readonly number[]) => {
    const client = await getPool()
      .connect()
      .catch((error: unknown) => {
        throw postgresError(name, tableName, error, undefined);
      });
    let broken: unknown;
    try {
      // The parameter number in a failed bind's CONTEXT names the bad record and column.
      await client.query('BEGIN; SET LOCAL log_parameter_max_length_on_error = 8');
      for (const chunk of statement.chunks(rows.length)) {
        const params: unknown[] = [];
        for (let r = chunk.from; r < chunk.to; r++) params.push(...(rows[r] as unknown[]));
        try {
          await client.query(chunk.text, params);
        } catch (error) {
          throw postgresError(name, tableName, error, {
            columns: columns.names,
            rows: indexes,
            from: chunk.from,
          });
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch((e: unknown) => {
        broken = e;
      });
      throw postgresError(name, tableName, error, undefined);
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  };

  return {
    name,
    // Checks the table, columns and conflict target at start, so a typo fails the run at once.
    open: async () => {
      const client = await getPool()
        .connect()
        .catch((error: unknown) => {
          throw postgresError(name, tableName, error, undefined);
        });
      try {
        const probe = statement.chunks(1)[0] as { text: string };
        await client.query(
          `EXPLAIN ${probe.text}`,
          columns.names.map(() => null),
        );
      } catch (error) {
        throw postgresError(name, tableName, error, undefined);
      } finally {
        client.release();
      }
    },
    write: async (records) => {
      if (closed) throw closedError(name);
      const rows: unknown[][] = [];
      const indexes: number[] = [];
      // Only the last record of a key goes in: one statement may not update a row twice.
      const byKey = key.length === 0 ? undefined : new Map<string, number>();
      for (let i = 0; i < records.length; i++) {
        const row = rowOf(columns, records[i] as OutRecord<V>, name, i);
        if (byKey !== undefined) {
          const k = keyOf(key.map((c) => row[columns.names.indexOf(c)]));
          const at = byKey.get(k);
          if (at !== undefined) {
            rows[at] = row;
            indexes[at] = i;
            continue;
          }
          byKey.set(k, rows.length);
        }
        rows.push(row);
        indexes.push(i);
      }
      if (rows.length > 0) await transaction(rows, indexes);
    },
    close: async () => {
      closed = true;
      if (ownPool && pool !== undefined) await pool.end();
    },
  };
}

function columnMap<V>(columns: PostgresColumns<V>): ColumnMap<V> {
  if (Array.isArray(columns)) {
    if (columns.length === 0 || columns.some((c) => typeof c !== 'string' || c === '')) {
      throw invalidOption('columns', 'a non-empty list of field names', columns);
    }
    const names = columns as readonly string[];
    return { names, values: names.map((n) => (v: V) => (v as Record<string, unknown>)?.[n]) };
  }
  if (typeof columns !== 'object' || columns === null) {
    throw invalidOption('columns', 'field names or { column: (value) => … }', columns);
  }
  const entries = Object.entries(columns as Record<string, unknown>);
  if (entries.length === 0 || entries.some(([, f]) => typeof f !== 'function')) {
    throw invalidOption('columns', 'a function per column', columns);
  }
  return {
    names: entries.map(([n]) => n),
    values: entries.map(([, f]) => f as (v: V, r: OutRecord<V>) => unknown),
  };
}

/** Text identity of a key's values, for keeping the last record of each key in a batch. */
function keyOf(values: readonly unknown[]): string {
  return values
    .map((v) =>
      v instanceof Date
        ? `d${v.getTime()}`
        : `${typeof v}:${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`,
    )
    .join('\u0000');
}
