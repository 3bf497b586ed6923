import {
  DeadLetterHeaders,
  deadLetter,
  isTributaryError,
  memoryBus,
  type OutRecord,
  pipeline,
  run,
  silentLogger,
} from '@tributary/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postgresSink } from './index.js';
import { rec } from './internal/testing/rec.js';

const url = inject('databaseUrl');
const db = new pg.Pool({ connectionString: url, max: 2 });
const schema = `sinks_test_${process.pid}`;

beforeAll(async () => {
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.query(`CREATE SCHEMA ${schema}`);
});
afterAll(async () => {
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.end();
});

let tables = 0;
/** A fresh table `(id int primary key, amount int, note text, meta jsonb)`. */
async function table(name = `t${++tables}`): Promise<string> {
  await db.query(
    `CREATE TABLE ${schema}."${name}" (id int PRIMARY KEY, amount int NOT NULL, note text, meta jsonb)`,
  );
  return name;
}
const rows = async (name: string) =>
  (await db.query(`SELECT * FROM ${schema}."${name}" ORDER BY id`)).rows as {
    id: number;
    amount: number;
    note: string | null;
    meta: unknown;
  }[];

interface Payment {
  id: number;
  amount: number | string;
  note?: string;
  meta?: unknown;
}

describe('postgresSink', () => {
  it('upserts each batch in one transaction; rows are visible to other sessions once write resolves', async () => {
    const name = await table();
    const sink = postgresSink<Payment>({
      connection: url,
      table: { schema, name },
      columns: ['id', 'amount', 'note', 'meta'],
      key: ['id'],
    });
    await sink.open?.();
    await sink.write([
      rec({ id: 1, amount: 10, meta: { tags: ['a'] } }),
      rec({ id: 2, amount: 20, note: 'x' }),
    ]);
    expect(await rows(name)).toEqual([
      { id: 1, amount: 10, note: null, meta: { tags: ['a'] } },
      { id: 2, amount: 20, note: 'x', meta: null },
    ]);
    // The same key again updates; within a batch the last record of a key wins.
    await sink.write([
      rec({ id: 2, amount: 21 }),
      rec({ id: 3, amount: 30 }),
      rec({ id: 2, amount: 22 }),
    ]);
    await sink.close?.();
    expect((await rows(name)).map((r) => [r.id, r.amount])).toEqual([
      [1, 10],
      [2, 22],
      [3, 30],
    ]);
  });

  it('quotes identifiers and sends values as parameters', async () => {
    const name = 'Odd "name"; DROP TABLE x';
    await db.query(
      `CREATE TABLE ${schema}."Odd ""name""; DROP TABLE x" ("Key" text PRIMARY KEY, "a b" text)`,
    );
    const sink = postgresSink<{ k: string; v: string }>({
      connection: url,
      table: { schema, name },
      columns: { Key: (r) => r.k, 'a b': (r) => r.v },
      key: ['Key'],
    });
    await sink.write([rec({ k: "o'clock", v: "'); DROP TABLE x; --" })]);
    await sink.close?.();
    const got = await db.query(`SELECT * FROM ${schema}."Odd ""name""; DROP TABLE x"`);
    expect(got.rows).toEqual([{ Key: "o'clock", 'a b': "'); DROP TABLE x; --" }]);
  });

  it('writes a batch larger than one statement can bind in one transaction', async () => {
    const name = await table();
    const sink = postgresSink<Payment>({
      connection: url,
      table: { schema, name },
      columns: ['id', 'amount'],
      key: ['id'],
    });
    await sink.write(Array.from({ length: 2500 }, (_, i) => rec({ id: i, amount: i })));
    await sink.close?.();
    const { rows: count } = await db.query(`SELECT count(*)::int AS n FROM ${schema}."${name}"`);
    expect(count[0].n).toBe(2500);
  });

  it('a type mismatch rolls the whole batch back with the SQLSTATE, column and record, not retryable', async () => {
    const name = await table();
    const sink = postgresSink<Payment>({
      connection: url,
      table: { schema, name },
      columns: ['id', 'amount', 'note'],
      key: ['id'],
    });
    const error = await sink
      .write([rec({ id: 1, amount: 1 }), rec({ id: 2, amount: 'ten' }), rec({ id: 3, amount: 3 })])
      .catch((e: unknown) => e);
    await sink.close?.();
    expect(isTributaryError(error, 'SINK_POSTGRES_REJECTED')).toBe(true);
    expect(error).toMatchObject({
      retryable: false,
      details: { sqlState: '22P02', column: 'amount', index: 1 },
    });
    expect((error as Error).message).toMatch(/record 1 of the batch, column "amount": .*"ten"/);
    expect(await rows(name)).toEqual([]);
  });

  it('in a pipeline, only the mismatched record meets the error policy, with the reason', async () => {
    const name = await table();
    const bus = memoryBus();
    bus.produce(
      'in',
      [1, 2, 'three', 4, null].map((amount, i) => ({
        value: Buffer.from(JSON.stringify({ id: i, amount })),
      })),
    );
    const dlq: OutRecord[] = [];
    const summary = await run(
      pipeline(
        bus.source({
          topic: 'in',
          group: 'g',
          stopAtEnd: true,
          serde: {
            deserialize: (raw: Uint8Array | null) =>
              JSON.parse(Buffer.from(raw as Uint8Array).toString()) as Payment,
          },
        }),
      ).to(
        postgresSink<Payment>({
          name: 'payments',
          connection: url,
          table: { schema, name },
          columns: ['id', 'amount'],
          key: ['id'],
        }),
      ),
      {
        logger: silentLogger,
        batchSize: 5,
        onError: deadLetter({ name: 'dlq', write: async (b) => void dlq.push(...b) }),
      },
    ).done;
    expect((await rows(name)).map((r) => r.id)).toEqual([0, 1, 3]);
    expect(dlq.map((r) => r.headers[DeadLetterHeaders.code])).toEqual([
      'SINK_POSTGRES_REJECTED',
      'SINK_POSTGRES_REJECTED',
    ]);
    expect(dlq.map((r) => JSON.parse(String(r.headers[DeadLetterHeaders.details])))).toEqual([
      expect.objectContaining({ sqlState: '22P02', column: 'amount' }),
      expect.objectContaining({ sqlState: '23502', column: 'amount' }),
    ]);
    expect(summary.metrics.sinks.payments?.retries).toBe(0);
    expect(summary.committed).toEqual([{ topic: 'in', partition: 0, offset: 5 }]);
  });

  it('fails at open for a missing table, column or conflict target', async () => {
    const name = await table();
    const cases = [
      { table: { schema, name: 'nope' }, columns: ['id'], key: ['id'], sqlState: '42P01' },
      { table: { schema, name }, columns: ['id', 'nope'], key: ['id'], sqlState: '42703' },
      { table: { schema, name }, columns: ['id', 'amount'], key: ['amount'], sqlState: '42P10' },
    ];
    for (const c of cases) {
      const sink = postgresSink<Record<string, unknown>>({ connection: url, ...c });
      const error = await sink.open?.().catch((e: unknown) => e);
      await sink.close?.();
      expect(isTributaryError(error, 'SINK_POSTGRES_REJECTED')).toBe(true);
      expect(error).toMatchObject({ details: { sqlState: c.sqlState } });
    }
  });

  it('a server it cannot reach is SINK_POSTGRES_FAILED and retryable', async () => {
    const sink = postgresSink<Payment>({
      connection: {
        connectionString: url.replace(/:\d+\//, ':1/'),
        connectionTimeoutMillis: 2000,
      },
      table: 'x',
      columns: ['id'],
    });
    const error = await sink.write([rec({ id: 1, amount: 1 })]).catch((e: unknown) => e);
    await sink.close?.();
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/ECONNREFUSED|connect/);
    expect(isTributaryError(error, 'SINK_POSTGRES_FAILED')).toBe(true);
    expect(error).toMatchObject({ retryable: true, details: { errno: 'ECONNREFUSED' } });
  });

  it('uses a pool of yours and leaves it open', async () => {
    const name = await table();
    const sink = postgresSink<Payment>({
      connection: db,
      table: { schema, name },
      columns: ['id', 'amount'],
    });
    await sink.write([rec({ id: 7, amount: 7 })]);
    await sink.close?.();
    expect((await rows(name)).map((r) => r.id)).toEqual([7]);
  });
});
