import { TributaryError } from './errors.js';
import { joinIsLeft, joinRow } from './internal/joinRow.js';
import type { Bytes, Deserializer } from './serde.js';
import type { StageContext, StageObject } from './stage.js';

/** What a stream record joined with its table row becomes: the stream value and the key's row. */
export interface TableJoined<S, T> {
  /** The stream record's value. */
  readonly value: S;
  /** The table's row of the record's key: always set in an inner join, `undefined` when missing in a left join. */
  readonly row: T;
}

/** Options of {@link tableJoin}. */
export interface TableJoinOptions<S, T> {
  /** The table's topic, one of the source's topics; every other topic of the source is the stream. */
  readonly table: string;
  /** Decodes stream values. */
  readonly stream: Deserializer<S, Bytes>;
  /** Decodes table rows; a tombstone (`null`) deletes the key's row and is never decoded. */
  readonly rows: Deserializer<T, Bytes>;
  /** `'inner'` (default) drops stream records whose key has no row; `'left'` keeps them with `row: undefined`. */
  readonly kind?: 'inner' | 'left';
  /** Stage name, which is also the keyed-state namespace of the rows. Default `'tableJoin'`. */
  readonly name?: string;
}

/**
 * A stream–table join on a source that reads both topics (`topic: [stream, table]`), which
 * must be co-partitioned: the same key and partitioner, and as many partitions. A table
 * record upserts its key's row into the stage's keyed state of the table partition (with
 * `kafkaStateStore`, its changelog: rows are restored on assignment and move with the
 * partition); a stream record reads the row of its key from the table partition of the
 * same number. Stream records see the table as read so far: the two topics are separate
 * lanes, so there is no event-time alignment between them. Table records produce nothing.
 */
export function tableJoin<S, T>(
  options: TableJoinOptions<S, T> & { readonly kind: 'left' },
): StageObject<Bytes, TableJoined<S, T | undefined>>;
/** The inner form of {@link tableJoin}: stream records without a row are dropped. */
export function tableJoin<S, T>(
  options: TableJoinOptions<S, T> & { readonly kind?: 'inner' },
): StageObject<Bytes, TableJoined<S, T>>;
export function tableJoin<S, T>(
  options: TableJoinOptions<S, T>,
): StageObject<Bytes, TableJoined<S, T | undefined>> {
  const left = joinIsLeft(options);
  const { table, stream, rows } = options;

  const upsert = (raw: Bytes, ctx: StageContext): undefined | Promise<undefined> => {
    if (raw === null) {
      ctx.state.delete();
      return undefined;
    }
    const row = rows.deserialize(raw);
    if (row instanceof Promise) return row.then((r) => void ctx.state.set(r));
    ctx.state.set(row);
    return undefined;
  };
  const join = (value: S, ctx: StageContext): TableJoined<S, T | undefined> | undefined => {
    if (ctx.partitionStateOn === undefined) {
      throw new TributaryError(
        'INVALID_PIPELINE',
        'tableJoin needs a runtime context (run it in a pipeline)',
      );
    }
    return joinRow(value, ctx.partitionStateOn(table).of(ctx.key).get<T>(), left, ctx);
  };

  return {
    name: options.name ?? 'tableJoin',
    process: (raw, ctx) => {
      if (ctx.topic === table) return upsert(raw, ctx);
      const value = stream.deserialize(raw);
      return value instanceof Promise ? value.then((v) => join(v, ctx)) : join(value, ctx);
    },
  };
}
