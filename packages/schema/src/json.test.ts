import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readCsv } from './internal/testing/readCsv.js';
import { thrown } from './internal/testing/thrown.js';
import { json } from './json.js';

const bytes = (text: string) => new TextEncoder().encode(text);

const Trade = z.object({
  id: z.string(),
  price: z.number().positive(),
  side: z.enum(['buy', 'sell']),
  tags: z.array(z.string()).default([]),
});

describe('json', () => {
  it('round-trips any value the schema accepts (property)', () => {
    const serde = json(Trade);
    const trade = fc.record({
      id: fc.string(),
      price: fc.double({ min: Number.MIN_VALUE, max: 1e12, noNaN: true }),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      tags: fc.array(fc.string()),
    });
    fc.assert(
      fc.property(trade, (t) => {
        expect(serde.deserialize(serde.serialize(t))).toEqual(t);
      }),
    );
  });

  it('round-trips arbitrary JSON through a permissive schema (property)', () => {
    const serde = json(z.json());
    // Keys that would touch prototypes are refused (see the unsafe-JSON test), so the
    // generated values leave them out.
    const value = fc
      .jsonValue()
      .filter((v) => !/"(__proto__|constructor)"/.test(JSON.stringify(v)));
    fc.assert(
      fc.property(value, (v) => {
        // JSON has no -0; everything else must come back equal.
        const expected = JSON.parse(JSON.stringify(v));
        expect(serde.deserialize(serde.serialize(v as z.infer<ReturnType<typeof z.json>>))).toEqual(
          expected,
        );
      }),
    );
  });

  it('refuses JSON that could pollute prototypes with SCHEMA_UNSAFE_JSON (nothing dropped silently)', async () => {
    const serde = json(z.json());
    for (const text of [
      '{"__proto__":null}',
      '{"a":[{"__proto__":{"admin":true}}]}',
      '{"\\u005f_proto__":{}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '{"\\u0063onstructor":{"prototype":{"admin":true}}}',
    ]) {
      const error = await thrown(() => serde.deserialize(bytes(text)));
      expect(error.code, text).toBe('SCHEMA_UNSAFE_JSON');
      expect(error.details).toMatchObject({ reason: 'unsafe-json', length: text.length });
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    // A plain `constructor` key is data, not a prototype path.
    expect(serde.deserialize(bytes('{"constructor":"x"}'))).toEqual({ constructor: 'x' });
  });

  it('rejects bytes that are not UTF-8 with SCHEMA_NOT_UTF8', async () => {
    const serde = json(Trade);
    for (const raw of [[0xff], [0xc3, 0x28], [0x7b, 0xe2, 0x82]]) {
      const error = await thrown(() => serde.deserialize(new Uint8Array(raw)));
      expect(error.code).toBe('SCHEMA_NOT_UTF8');
      expect(error.details).toMatchObject({ reason: 'not-utf8', byteLength: raw.length });
    }
  });

  it('rejects text that is not JSON with SCHEMA_NOT_JSON', async () => {
    const serde = json(Trade);
    for (const text of ['', '{', "{'id':1}", 'undefined', '{"a":1}x']) {
      const error = await thrown(() => serde.deserialize(bytes(text)));
      expect(error.code).toBe('SCHEMA_NOT_JSON');
      expect(error.details.reason).toBe('not-json');
    }
  });

  it('rejects invalid JSON with every issue (path, message, code)', async () => {
    const serde = json(Trade);
    const error = await thrown(() =>
      serde.deserialize(bytes('{"id":7,"price":-1,"side":"hold","tags":["a",2]}')),
    );
    expect(error.code).toBe('SCHEMA_INVALID');
    const issues = error.details.issues as { path: unknown[]; code: string; message: string }[];
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      [['id'], 'invalid_type'],
      [['price'], 'too_small'],
      [['side'], 'invalid_value'],
      [['tags', 1], 'invalid_type'],
    ]);
    expect(issues.every((i) => i.message.length > 0)).toBe(true);
    expect(error.message).toMatch(/^Value does not match the schema: id: .+ \(and 3 more\)$/);
    // Details are plain data, so they survive the dead-letter header as JSON.
    expect(JSON.parse(JSON.stringify(error.details))).toEqual(error.details);
  });

  it('applies zod coercion and defaults on read', () => {
    const serde = json(z.object({ n: z.coerce.number(), tags: z.array(z.string()).default([]) }));
    expect(serde.deserialize(bytes('{"n":"42"}'))).toEqual({ n: 42, tags: [] });
  });

  it('accepts text as well as bytes, and a leading BOM', () => {
    const serde = json(z.object({ a: z.number() }));
    expect(serde.deserialize('{"a":1}')).toEqual({ a: 1 });
    expect(serde.deserialize(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"a":2}')]))).toEqual({
      a: 2,
    });
  });

  it('is synchronous for sync schemas and returns a promise for async ones', async () => {
    const sync = json(z.object({ a: z.number() }));
    expect(sync.deserialize(bytes('{"a":1}'))).not.toBeInstanceOf(Promise);
    const asyncSchema = z.object({ a: z.number() }).refine(async (v) => v.a > 0, 'must be > 0');
    const serde = json(asyncSchema);
    const ok = serde.deserialize(bytes('{"a":1}'));
    expect(ok).toBeInstanceOf(Promise);
    await expect(ok).resolves.toEqual({ a: 1 });
    const error = await thrown(() => serde.deserialize(bytes('{"a":-1}')));
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.details.issues).toEqual([{ path: [], message: 'must be > 0', code: 'custom' }]);
  });

  it('works with any Standard Schema, not only zod', async () => {
    const evenNumber = {
      '~standard': {
        version: 1 as const,
        vendor: 'hand-made',
        validate: (v: unknown) =>
          typeof v === 'number' && v % 2 === 0
            ? { value: v }
            : { issues: [{ message: 'not even', path: [{ key: 'n' }] }] },
      },
    };
    const serde = json(evenNumber);
    expect(serde.deserialize(bytes('4'))).toBe(4);
    const error = await thrown(() => serde.deserialize(bytes('3')));
    expect(error.details).toMatchObject({
      vendor: 'hand-made',
      issues: [{ path: ['n'], message: 'not even', code: 'invalid' }],
    });
  });

  it('refuses values with no JSON form with SCHEMA_NOT_SERIALIZABLE', async () => {
    const serde = json(z.unknown());
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const v of [10n, cyclic, undefined, () => 1]) {
      expect((await thrown(() => serde.serialize(v))).code).toBe('SCHEMA_NOT_SERIALIZABLE');
    }
  });

  it('fails fast on a schema that is not a Standard Schema', async () => {
    const error = await thrown(() => json({} as never));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('`schema`');
  });

  it('decodes real Elec2 records and catches a corrupted one', async () => {
    const Elec = z.object({
      date: z.number().min(0).max(1),
      period: z.number().min(0).max(1),
      nswprice: z.number(),
      nswdemand: z.number(),
      class: z.enum(['UP', 'DOWN']),
    });
    const serde = json(Elec);
    const rows = readCsv('elec2-head.csv').map((r) => ({
      date: Number(r.date),
      period: Number(r.period),
      nswprice: Number(r.nswprice),
      nswdemand: Number(r.nswdemand),
      class: r.class,
    }));
    expect(rows).toHaveLength(2000);
    for (const row of rows) expect(serde.deserialize(bytes(JSON.stringify(row)))).toEqual(row);
    const bad = { ...rows[0], class: 'SIDEWAYS', date: 2 };
    const error = await thrown(() => serde.deserialize(bytes(JSON.stringify(bad))));
    expect((error.details.issues as { path: string[] }[]).map((i) => i.path)).toEqual([
      ['date'],
      ['class'],
    ]);
  });
});
