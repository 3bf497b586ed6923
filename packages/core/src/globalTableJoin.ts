import type { Bus } from './bus.js';
import { invalidOption, TributaryError } from './errors.js';
import { joinIsLeft, joinRow } from './internal/joinRow.js';
import { keyToString, type TRecord } from './record.js';
import type { Bytes, Deserializer } from './serde.js';
import { sleep } from './sleep.js';
import type { SourceSession } from './source.js';
import type { StageObject } from './stage.js';
import type { TableJoined } from './tableJoin.js';

/** Options of {@link globalTableJoin}. */
export interface GlobalTableJoinOptions<T> {
  /** The bus the table's topic is on. */
  readonly bus: Bus;
  /** The table's (compacted) topic; every worker reads all of its partitions. */
  readonly table: string;
  /** Decodes table rows; a tombstone (`null`) deletes the key's row and is never decoded. */
  readonly rows: Deserializer<T, Bytes>;
  /** `'inner'` (default) drops stream values whose key has no row; `'left'` keeps them with `row: undefined`. */
  readonly kind?: 'inner' | 'left';
  /** Stage name, also the prefix of the table reader's own consumer group. Default `'globalTableJoin'`. */
  readonly name?: string;
  /**
   * How long `open` may take to read the table to the end offsets it saw, in ms; then it fails
   * with `TABLE_CATCH_UP_TIMEOUT`. Default 60000.
   */
  readonly catchUpTimeoutMs?: number;
}

/**
 * A stream–table join for small tables: each worker reads the whole table topic into memory
 * (in a consumer group of its own, never committed, so a restart reads it again from the
 * start), so the stream need not be co-partitioned with it. `open` waits until the table is
 * read up to the end offsets it saw; later table records apply as they arrive. Stream values
 * are already decoded (any stage may come before it); the row is looked up by the record's key.
 */
export function globalTableJoin<S, T>(
  options: GlobalTableJoinOptions<T> & { readonly kind: 'left' },
): StageObject<S, TableJoined<S, T | undefined>>;
/** The inner form of {@link globalTableJoin}: stream values without a row are dropped. */
export function globalTableJoin<S, T>(
  options: GlobalTableJoinOptions<T> & { readonly kind?: 'inner' },
): StageObject<S, TableJoined<S, T>>;
export function globalTableJoin<S, T>(
  options: GlobalTableJoinOptions<T>,
): StageObject<S, TableJoined<S, T | undefined>> {
  const left = joinIsLeft(options);
  const { bus, table, rows } = options;
  const name = options.name ?? 'globalTableJoin';
  const timeoutMs = options.catchUpTimeoutMs ?? 60_000;
  if (!(timeoutMs > 0)) throw invalidOption('catchUpTimeoutMs', 'a number of ms > 0', timeoutMs);
  const byKey = new Map<string, T>();
  const read = new Map<number, number>(); // partition → next offset read
  let session: SourceSession | undefined;

  const apply = async (records: readonly TRecord<Bytes>[]) => {
    for (const r of records) {
      const key = keyToString(r.key);
      if (r.value === null) byKey.delete(key);
      else byKey.set(key, await rows.deserialize(r.value));
      read.set(r.partition, r.offset + 1);
    }
  };

  return {
    name,
    async open() {
      const ends = await bus.admin.offsets(table, 'latest');
      const group = `${name}-${table}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
      let failure: unknown;
      let caught = false;
      session = await bus.source({ topic: table, group, from: 'earliest' }).start({
        deliver: apply,
        assigned: async () => {},
        revoked: async () => {},
        ended: () => {},
        // The source knows where each partition's records end (past a transaction's markers).
        caughtUp: () => {
          caught = true;
        },
        failed: (e) => {
          failure = e;
        },
      });
      const start = Date.now();
      while (!caught) {
        if (failure !== undefined) throw failure;
        if (Date.now() - start > timeoutMs) {
          await session.close().catch(() => undefined);
          session = undefined;
          throw new TributaryError(
            'TABLE_CATCH_UP_TIMEOUT',
            `${name}: could not read table ${table} to its end within ${timeoutMs} ms`,
            {
              details: {
                table,
                ends: ends.map((e) => ({ partition: e.partition, offset: e.offset })),
                read: Object.fromEntries(read),
              },
            },
          );
        }
        await sleep(10);
      }
    },
    process: (value, ctx) => joinRow(value, byKey.get(keyToString(ctx.key)), left, ctx),
    async close() {
      await session?.close();
      session = undefined;
    },
  };
}
