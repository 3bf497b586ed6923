import type { OutRecord } from '@tributary/core';
import pg from 'pg';
import { sinkError } from './sinkError.js';
import { toJson } from './toJson.js';

/** Column names and how each gets its value from a record. */
export interface ColumnMap<V> {
  readonly names: readonly string[];
  readonly values: readonly ((value: V, record: OutRecord<V>) => unknown)[];
}

/** One statement of a batch: rows `from` (inclusive) to `to` (exclusive). */
export interface Chunk {
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

// PostgreSQL's wire protocol counts bind parameters in 16 bits.
const MAX_PARAMS = 65_535;
const MAX_ROWS = 1000;

/** Quoted identifier; NUL cannot be part of one. */
function quote(identifier: string): string {
  return pg.escapeIdentifier(identifier);
}

/** The multi-row INSERT (… ON CONFLICT … DO UPDATE) for `rows` rows, split to fit the protocol. */
export function upsertStatement(
  table: readonly string[],
  columns: readonly string[],
  key: readonly string[],
): { chunks(rows: number): Chunk[] } {
  for (const id of [...table, ...columns]) {
    if (id.includes('\u0000')) throw new TypeError(`identifier ${JSON.stringify(id)} contains NUL`);
  }
  const head = `INSERT INTO ${table.map(quote).join('.')} (${columns.map(quote).join(', ')}) VALUES `;
  const rest = columns.filter((c) => !key.includes(c));
  const tail =
    key.length === 0
      ? ''
      : ` ON CONFLICT (${key.map(quote).join(', ')}) ${
          rest.length === 0
            ? 'DO NOTHING'
            : `DO UPDATE SET ${rest.map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`).join(', ')}`
        }`;
  const perChunk = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns.length)));
  const texts = new Map<number, string>();
  const text = (rows: number): string => {
    let t = texts.get(rows);
    if (t === undefined) {
      const values: string[] = [];
      for (let r = 0; r < rows; r++) {
        const base = r * columns.length;
        values.push(`(${columns.map((_, c) => `$${base + c + 1}`).join(', ')})`);
      }
      t = head + values.join(', ') + tail;
      // Keep the texts of the sizes that recur (full chunks, small tails) without growing forever.
      if (texts.size < 64) texts.set(rows, t);
    }
    return t;
  };
  return {
    chunks(rows) {
      const chunks: Chunk[] = [];
      for (let from = 0; from < rows; from += perChunk) {
        const to = Math.min(rows, from + perChunk);
        chunks.push({ text: text(to - from), from, to });
      }
      return chunks;
    },
  };
}

/**
 * The parameters of one record's row. Plain objects are sent as JSON text (json/jsonb
 * columns); a mapping that throws or a value with no JSON form is SINK_NOT_SERIALIZABLE.
 */
export function rowOf<V>(
  columns: ColumnMap<V>,
  record: OutRecord<V>,
  sink: string,
  index: number,
): unknown[] {
  const row = new Array<unknown>(columns.names.length);
  for (let c = 0; c < row.length; c++) {
    let v: unknown;
    try {
      v = (columns.values[c] as (value: V, record: OutRecord<V>) => unknown)(record.value, record);
    } catch (cause) {
      throw sinkError(
        'SINK_NOT_SERIALIZABLE',
        `${sink}: record ${index} of the batch: column "${columns.names[c]}" could not be computed: ${(cause as Error)?.message ?? String(cause)}`,
        { cause, details: { index, column: columns.names[c] }, retryable: false },
      );
    }
    if (
      typeof v === 'object' &&
      v !== null &&
      !(v instanceof Date) &&
      !(v instanceof Uint8Array) &&
      !Array.isArray(v)
    ) {
      v = toJson(v, sink, index);
    }
    row[c] = v;
  }
  return row;
}
