// Integration tests against a real Confluent-compatible registry. Start one with
//   scripts/registry/registry start
// (Apicurio Registry, in memory, http://127.0.0.1:8081/apis/ccompat/v7), or point
// SCHEMA_REGISTRY_URL at another (e.g. a Confluent Schema Registry at http://host:8081).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compatibility } from './compatibility.js';
import { readCsv } from './internal/testing/readCsv.js';
import { thrown } from './internal/testing/thrown.js';
import { registrySerde } from './registrySerde.js';
import { type SchemaRegistry, schemaRegistry } from './schemaRegistry.js';
import { decodeWire, encodeWire } from './wireFormat.js';

const url = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
// The registry outlives a test run: unique subjects keep runs independent.
const run = `tributary-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;
const subject = (name: string) => `${run}-${name}`;

const Elec = z.object({
  date: z.number(),
  period: z.number(),
  nswprice: z.number(),
  nswdemand: z.number(),
  class: z.enum(['UP', 'DOWN']),
});
const jsonSchemaOf = (s: z.ZodType) => z.toJSONSchema(s, { target: 'draft-07', io: 'input' });

let sr: SchemaRegistry;

beforeAll(async () => {
  sr = schemaRegistry({ url, retry: { retries: 1, initialDelayMs: 50 } });
  try {
    await sr.subjects();
  } catch (error) {
    throw new Error(
      `No schema registry at ${url}: start one with scripts/registry/registry start (${String(error)})`,
    );
  }
});

describe('schemaRegistry against a real registry', () => {
  it('registers idempotently and reads back by id and by subject/version', async () => {
    const s = subject('elec-value');
    const schema = jsonSchemaOf(Elec);
    const id = await sr.register(s, schema);
    const fresh = schemaRegistry({ url });
    expect(await fresh.register(s, schema)).toBe(id);
    const byId = await fresh.getById(id);
    expect(byId.schemaType).toBe('JSON');
    expect(JSON.parse(byId.schema)).toEqual(schema);
    const latest = await fresh.getBySubjectVersion(s, 'latest');
    expect(latest).toMatchObject({ id, subject: s, version: 1, schemaType: 'JSON' });
    expect(await fresh.getBySubjectVersion(s, 1)).toMatchObject({ id });
    expect(await fresh.versions(s)).toEqual([1]);
    expect(await fresh.subjects()).toContain(s);
    expect(await fresh.lookup(s, schema)).toMatchObject({ id, version: 1 });
    expect(await fresh.lookup(s, { type: 'string' })).toBeUndefined();
  });

  it('caches schemas by id: a second read sends no request', async () => {
    // Apicurio tells schema types apart by content, so give it a recognisable JSON Schema.
    const id = await sr.register(subject('cache'), {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
    });
    const fresh = schemaRegistry({ url });
    await fresh.getById(id);
    const before = fresh.requests();
    await fresh.getById(id);
    await Promise.all([fresh.getById(id), fresh.getById(id)]);
    expect(fresh.requests()).toBe(before);
  });

  it('reports unknown ids and subjects with status and registry error code', async () => {
    const missingId = await thrown(() => sr.getById(987_654_321));
    expect(missingId.code).toBe('SCHEMA_REGISTRY_ERROR');
    expect(missingId.details).toMatchObject({ status: 404, errorCode: 40403 });
    const missingSubject = await thrown(() => sr.getBySubjectVersion(subject('nope'), 'latest'));
    expect(missingSubject.details.status).toBe(404);
    // Confluent answers 40401 (subject not found); Apicurio 40402 (version not found).
    expect([40401, 40402]).toContain(missingSubject.details.errorCode);
  });

  it('sets compatibility levels and checks changes; its verdicts match compatibility()', async () => {
    const V1 = z.object({
      id: z.string(),
      amount: z.number(),
      currency: z.enum(['EUR', 'USD', 'GBP']),
      note: z.string().optional(),
    });
    const changes: Record<string, z.ZodType> = {
      addOptional: V1.extend({ tag: z.string().optional() }),
      addRequired: V1.extend({ qty: z.number() }),
      removeRequired: V1.omit({ amount: true }),
      removeOptional: V1.omit({ note: true }),
      narrowToInt: V1.extend({ amount: z.number().int() }),
      changeType: V1.extend({ amount: z.string() }),
      removeEnumValue: V1.extend({ currency: z.enum(['EUR', 'USD']) }),
      addEnumValue: V1.extend({ currency: z.enum(['EUR', 'USD', 'GBP', 'JPY']) }),
      makeRequired: V1.extend({ note: z.string() }),
      addMinimum: V1.extend({ amount: z.number().min(0) }),
    };
    const verdicts: string[] = [];
    for (const level of ['BACKWARD', 'FORWARD'] as const) {
      for (const [name, next] of Object.entries(changes)) {
        const s = subject(`compat-${level}-${name}`);
        await sr.register(s, jsonSchemaOf(V1));
        expect(await sr.setCompatibility(level, s)).toBe(level);
        expect(await sr.getCompatibility(s)).toBe(level);
        const registry = await sr.checkCompatibility(s, jsonSchemaOf(next));
        if (!registry.compatible) expect(registry.messages.length).toBeGreaterThan(0);
        // Registries treat open objects as able to carry any extra field: compare likewise.
        const ours = compatibility(V1, next, { strictOpenContent: true });
        verdicts.push(
          `${level} ${name}: registry ${registry.compatible}, ours ${level === 'BACKWARD' ? ours.backward : ours.forward}`,
        );
      }
    }
    for (const v of verdicts) expect(v).toMatch(/registry (true|false), ours \1$/);
    // And the verdicts are not all alike: both directions catch real breaks.
    expect(verdicts.filter((v) => v.includes('registry false')).length).toBeGreaterThanOrEqual(8);
  });

  it('refuses to register an incompatible version (HTTP 409)', async () => {
    const s = subject('guarded');
    await sr.register(s, jsonSchemaOf(z.object({ a: z.number() })));
    await sr.setCompatibility('BACKWARD', s);
    const error = await thrown(() => sr.register(s, jsonSchemaOf(z.object({ a: z.string() }))));
    expect(error.code).toBe('SCHEMA_REGISTRY_ERROR');
    expect(error.details.status).toBe(409);
    expect(await sr.versions(s)).toEqual([1]);
  });

  it('round-trips real Elec2 records through the registry serde in the wire format', async () => {
    const s = subject('elec2-value');
    const producer = registrySerde(schemaRegistry({ url }), Elec, { subject: s });
    const rows = readCsv('elec2-head.csv')
      .slice(0, 300)
      .map((r) => ({
        date: Number(r.date),
        period: Number(r.period),
        nswprice: Number(r.nswprice),
        nswdemand: Number(r.nswdemand),
        class: r.class as 'UP' | 'DOWN',
      }));
    const framed = await Promise.all(rows.map((r) => producer.serialize(r)));
    const id = await producer.writerSchemaId();
    for (const bytes of framed) {
      expect(bytes[0]).toBe(0);
      expect(decodeWire(bytes).schemaId).toBe(id);
    }
    // A consumer with its own (cold) client, as another service would be.
    const consumerRegistry = schemaRegistry({ url });
    const consumer = registrySerde(consumerRegistry, Elec, { subject: s, writerId: 'latest' });
    const back = [];
    for (const bytes of framed) back.push(await consumer.deserialize(bytes));
    expect(back).toEqual(rows);
    expect(await consumer.writerSchemaId()).toBe(id);
    // One look-up of the writer schema for all 300 records, one for `latest`.
    expect(consumerRegistry.requests()).toBe(2);
  });

  it('round-trips any valid value through the registry serde (property)', async () => {
    const Event = z.object({
      id: z.string(),
      score: z.number(),
      labels: z.array(z.enum(['a', 'b', 'c'])),
      meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    });
    const serde = registrySerde(schemaRegistry({ url }), Event, {
      subject: subject('event-value'),
    });
    // JSON has no -0: it comes back as 0.
    const finite = fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .map((x) => (Object.is(x, -0) ? 0 : x));
    const event = fc.record({
      id: fc.string(),
      score: finite,
      labels: fc.array(fc.constantFrom('a' as const, 'b' as const, 'c' as const)),
      meta: fc.dictionary(
        fc.string().filter((k) => k !== '__proto__'),
        fc.oneof(fc.string(), finite, fc.boolean(), fc.constant(null)),
      ),
    });
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        expect(await serde.deserialize(await serde.serialize(e))).toEqual(e);
      }),
      { numRuns: 200 },
    );
  });

  it('reads frames made by hand, as any Confluent JSON producer writes them', async () => {
    const s = subject('foreign-value');
    const id = await sr.register(s, jsonSchemaOf(Elec));
    const foreign = encodeWire(
      id,
      new TextEncoder().encode(
        '{"date":0,"period":0.5,"nswprice":0.06,"nswdemand":0.4,"class":"UP","extra":true}',
      ),
    );
    const serde = registrySerde(sr, Elec, { subject: s, writerId: 'lookup' });
    await expect(serde.deserialize(foreign)).resolves.toEqual({
      date: 0,
      period: 0.5,
      nswprice: 0.06,
      nswdemand: 0.4,
      class: 'UP',
    });
    const invalid = encodeWire(id, new TextEncoder().encode('{"date":"x"}'));
    expect((await thrown(() => serde.deserialize(invalid))).code).toBe('SCHEMA_INVALID');
    const unknownId = encodeWire(987_654_321, new TextEncoder().encode('{}'));
    expect((await thrown(() => serde.deserialize(unknownId))).details).toMatchObject({
      status: 404,
    });
    const unframed = new TextEncoder().encode('{"date":0}');
    expect((await thrown(() => serde.deserialize(unframed))).code).toBe('SCHEMA_BAD_WIRE_FORMAT');
  });
});
