import { deadLetter, type OutRecord, type Sink, skip } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fakeContext } from './internal/testing/fakeContext.js';
import { readCsv } from './internal/testing/readCsv.js';
import { thrown } from './internal/testing/thrown.js';
import { validate } from './validate.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const Order = z.object({
  id: z.string(),
  items: z.array(z.object({ sku: z.string(), price: z.number().nonnegative() })),
  qty: z.coerce.number().int().default(1),
});

function memorySink(): Sink<unknown> & { records: OutRecord<unknown>[] } {
  const records: OutRecord<unknown>[] = [];
  return { name: 'quarantine', records, write: async (batch) => void records.push(...batch) };
}

describe('validate', () => {
  it('outputs the schema output, with coercion and defaults applied', () => {
    const stage = validate(Order);
    const ctx = fakeContext();
    expect(stage.process({ id: 'a', items: [], qty: '3' }, ctx)).toEqual({
      id: 'a',
      items: [],
      qty: 3,
    });
    expect(stage.process(bytes('{"id":"b","items":[]}'), ctx)).toEqual({
      id: 'b',
      items: [],
      qty: 1,
    });
    expect(ctx.counters).toEqual({ valid: 2 });
  });

  it('decodes JSON text as it decodes bytes (a string-producing source is not quarantined)', async () => {
    const stage = validate(Order);
    const ctx = fakeContext();
    expect(stage.process('{"id":"c","items":[{"sku":"s","price":2}]}', ctx)).toEqual({
      id: 'c',
      items: [{ sku: 's', price: 2 }],
      qty: 1,
    });
    expect(await thrown(() => stage.process('{oops', ctx))).toMatchObject({
      code: 'SCHEMA_NOT_JSON',
    });
    expect(await thrown(() => stage.process(null, ctx))).toMatchObject({ code: 'SCHEMA_INVALID' });
    expect(ctx.counters).toMatchObject({ valid: 1, invalid: 2, 'invalid.not-json': 1 });
  });

  it('sets onError to the onInvalid policy and never retries', () => {
    const sink = memorySink();
    const stage = validate(Order, { onInvalid: deadLetter(sink) });
    expect(stage.onError).toEqual({ kind: 'deadLetter', sink });
    expect(stage.retry).toEqual({ retries: 0 });
    expect(stage.name).toBe('validate');
    expect(validate(Order, { onInvalid: skip, name: 'orders' })).toMatchObject({
      name: 'orders',
      onError: skip,
    });
    expect('onError' in validate(Order)).toBe(false);
  });

  it('throws every issue and counts issues per path pattern', async () => {
    const stage = validate(Order);
    const ctx = fakeContext();
    const bad = {
      id: 1,
      items: [
        { sku: 'x', price: -1 },
        { sku: 'y', price: -2 },
        { sku: 3, price: 1 },
      ],
    };
    const error = await thrown(() => stage.process(bad, ctx));
    expect(error.code).toBe('SCHEMA_INVALID');
    expect((error.details.issues as { path: unknown[] }[]).map((i) => i.path)).toEqual([
      ['id'],
      ['items', 0, 'price'],
      ['items', 1, 'price'],
      ['items', 2, 'sku'],
    ]);
    expect(ctx.counters).toEqual({
      invalid: 1,
      'invalid.schema': 1,
      'issues.id': 1,
      'issues.items[*].price': 2,
      'issues.items[*].sku': 1,
    });
    expect(stage.counts()).toEqual({
      valid: 0,
      invalid: 1,
      notUtf8: 0,
      notJson: 0,
      unsafeJson: 0,
      issuesByPath: { id: 1, 'items[*].price': 2, 'items[*].sku': 1 },
    });
  });

  it('rejects undecodable bytes with their own reason and counter', async () => {
    const stage = validate(Order);
    const ctx = fakeContext();
    expect((await thrown(() => stage.process(new Uint8Array([0xff, 0xfe]), ctx))).code).toBe(
      'SCHEMA_NOT_UTF8',
    );
    expect((await thrown(() => stage.process(bytes('{"id":'), ctx))).code).toBe('SCHEMA_NOT_JSON');
    expect(
      (await thrown(() => stage.process(bytes('{"__proto__":{"admin":true}}'), ctx))).code,
    ).toBe('SCHEMA_UNSAFE_JSON');
    expect(ctx.counters).toEqual({
      invalid: 3,
      'invalid.not-utf8': 1,
      'invalid.not-json': 1,
      'invalid.unsafe-json': 1,
    });
    expect(stage.counts()).toMatchObject({ invalid: 3, notUtf8: 1, notJson: 1, unsafeJson: 1 });
  });

  it('counts a root-level issue under $', async () => {
    const stage = validate(z.number());
    const ctx = fakeContext();
    await thrown(() => stage.process('"nope"', ctx));
    expect(ctx.counters['issues.$']).toBe(1);
  });

  it('handles async schemas, counting after the promise settles', async () => {
    const stage = validate(z.object({ n: z.number() }).refine(async (v) => v.n > 0, 'positive'));
    const ctx = fakeContext();
    await expect(stage.process({ n: 1 }, ctx)).resolves.toEqual({ n: 1 });
    const error = await thrown(() => stage.process({ n: 0 }, ctx));
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(ctx.counters).toEqual({ valid: 1, invalid: 1, 'invalid.schema': 1, 'issues.$': 1 });
  });

  it('fails fast on a bad onInvalid or schema', async () => {
    const error = await thrown(() => validate(Order, { onInvalid: 'deadLetter' as never }));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('`onInvalid`');
    expect((await thrown(() => validate(null as never))).code).toBe('INVALID_OPTION');
  });

  it('checks real bike-sharing rows: all valid, then a corrupted batch is counted per path', async () => {
    const Hour = z.object({
      date_time: z.string().regex(/^\d{4}-\d\d-\d\d \d\d:00:00$/),
      weather: z.enum(['clear', 'mist', 'rain']),
      temp: z.coerce.number().min(-20).max(50),
      hum: z.coerce.number().min(0).max(100),
      users: z.coerce.number().int().nonnegative(),
    });
    const stage = validate(Hour);
    const ctx = fakeContext();
    const rows = readCsv('bike-sharing-head.csv');
    for (const row of rows) stage.process(bytes(JSON.stringify(row)), ctx);
    expect(stage.counts().valid).toBe(1000);
    // Corrupt every 100th row's humidity and every 250th row's weather.
    for (const [i, row] of rows.entries()) {
      const broken = {
        ...row,
        ...(i % 100 === 0 ? { hum: '140' } : {}),
        ...(i % 250 === 0 ? { weather: 'snow' } : {}),
      };
      try {
        stage.process(bytes(JSON.stringify(broken)), ctx);
      } catch {
        // counted below
      }
    }
    expect(stage.counts()).toMatchObject({
      // rows 0, 100, ..., 900 have a bad humidity; rows 250 and 750 only a bad weather
      valid: 1988,
      invalid: 12,
      issuesByPath: { hum: 10, weather: 4 },
    });
  });
});
