import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assertCompatible, compatibility, type JsonSchema } from './compatibility.js';
import { thrown } from './internal/testing/thrown.js';

const V1 = z.object({
  id: z.string(),
  amount: z.number(),
  currency: z.enum(['EUR', 'USD', 'GBP']),
  note: z.string().optional(),
});

const brief = (r: ReturnType<typeof compatibility>) =>
  r.reasons.map((x) => `${x.direction} ${x.change} ${x.path}`);

describe('compatibility', () => {
  it('calls an unchanged schema FULL', () => {
    expect(compatibility(V1, V1)).toEqual({
      level: 'FULL',
      backward: true,
      forward: true,
      full: true,
      reasons: [],
    });
  });

  it('adding an optional field or one with a default is FULL', () => {
    expect(compatibility(V1, V1.extend({ tag: z.string().optional() })).level).toBe('FULL');
    expect(compatibility(V1, V1.extend({ qty: z.number().default(1) })).level).toBe('FULL');
  });

  it('adding a required field without default breaks BACKWARD', () => {
    const r = compatibility(V1, V1.extend({ qty: z.number() }));
    expect(r.level).toBe('FORWARD');
    expect(r.reasons).toEqual([
      {
        direction: 'BACKWARD',
        change: 'field-added-without-default',
        path: 'qty',
        message:
          'required by the new schema but absent from the old one (give it a default or make it optional)',
      },
    ]);
  });

  it('removing a required field breaks FORWARD; removing an optional one does not', () => {
    const r = compatibility(V1, V1.omit({ amount: true }));
    expect(r.level).toBe('BACKWARD');
    expect(brief(r)).toEqual(['FORWARD field-removed amount']);
    expect(compatibility(V1, V1.omit({ note: true })).level).toBe('FULL');
  });

  it('narrowing a type breaks BACKWARD, widening breaks FORWARD, changing breaks both', () => {
    const num = z.object({ n: z.number() });
    const int = z.object({ n: z.number().int() });
    expect(brief(compatibility(num, int))).toEqual(['BACKWARD type-narrowed n']);
    expect(brief(compatibility(int, num))).toEqual(['FORWARD type-widened n']);
    const r = compatibility(num, z.object({ n: z.string() }));
    expect(r.level).toBe('NONE');
    expect(brief(r)).toEqual(['BACKWARD type-changed n', 'FORWARD type-changed n']);
    expect(r.reasons[0]?.message).toBe('type number → string');
  });

  it('removing a nullable option narrows the type', () => {
    const r = compatibility(z.object({ n: z.number().nullable() }), z.object({ n: z.number() }));
    expect(brief(r)).toEqual(['BACKWARD type-narrowed n']);
    expect(r.level).toBe('FORWARD');
  });

  it('reports enum values removed (BACKWARD) and added (FORWARD)', () => {
    const removed = compatibility(V1, V1.extend({ currency: z.enum(['EUR', 'USD']) }));
    expect(removed.reasons).toEqual([
      {
        direction: 'BACKWARD',
        change: 'enum-value-removed',
        path: 'currency',
        message: 'value(s) "GBP" removed',
      },
    ]);
    const added = compatibility(V1, V1.extend({ currency: z.enum(['EUR', 'USD', 'GBP', 'JPY']) }));
    expect(brief(added)).toEqual(['FORWARD enum-value-added currency']);
  });

  it('making a field required or optional', () => {
    const req = compatibility(V1, V1.extend({ note: z.string() }));
    expect(brief(req)).toEqual(['BACKWARD field-made-required note']);
    const opt = compatibility(V1, V1.extend({ amount: z.number().optional() }));
    expect(brief(opt)).toEqual(['FORWARD field-made-optional amount']);
  });

  it('finds changes inside arrays of objects and tightened bounds', () => {
    const a = z.object({ items: z.array(z.object({ price: z.number().min(0) })) });
    const b = z.object({ items: z.array(z.object({ price: z.number().min(1).max(1000) })) });
    const r = compatibility(a, b);
    expect(brief(r)).toEqual([
      'BACKWARD constraint-tightened items[].price',
      'BACKWARD constraint-tightened items[].price',
    ]);
    expect(r.reasons.map((x) => x.message)).toEqual(['minimum 0 → 1', 'maximum added: 1000']);
    // Loosening the bounds again is the mirror image.
    expect(brief(compatibility(b, a))).toEqual([
      'FORWARD constraint-loosened items[].price',
      'FORWARD constraint-loosened items[].price',
    ]);
  });

  it('treats closed objects strictly and open ones as zod does, unless asked', () => {
    const closed = z.strictObject({ a: z.string() });
    const r = compatibility(closed, closed.extend({ b: z.string().optional() }));
    expect(brief(r)).toEqual(['FORWARD field-added-to-closed-schema b']);
    const open = z.object({ a: z.string() });
    const added = open.extend({ b: z.string().optional() });
    expect(compatibility(open, added).level).toBe('FULL');
    // Confluent-style: old data may already carry a `b` of any type.
    expect(brief(compatibility(open, added, { strictOpenContent: true }))).toEqual([
      'BACKWARD open-content b',
    ]);
  });

  it('follows local $refs of recursive schemas without looping', () => {
    const Node: z.ZodType<{ v: number; children: unknown[] }> = z.object({
      v: z.number(),
      get children() {
        return z.array(Node);
      },
    });
    expect(compatibility(Node, Node).level).toBe('FULL');
    const raw: JsonSchema = {
      $defs: {
        N: { type: 'object', properties: { v: { type: 'number' }, k: { $ref: '#/$defs/N' } } },
      },
      $ref: '#/$defs/N',
    };
    const narrowed: JsonSchema = {
      $defs: {
        N: { type: 'object', properties: { v: { type: 'integer' }, k: { $ref: '#/$defs/N' } } },
      },
      $ref: '#/$defs/N',
    };
    // The root and the nested `k` are two places that reach N; deeper levels repeat `k`'s.
    expect(brief(compatibility(raw, narrowed))).toEqual([
      'BACKWARD type-narrowed v',
      'BACKWARD type-narrowed k.v',
    ]);
  });

  it('accepts plain JSON Schema (e.g. from z.toJSONSchema) and is FULL against itself (property)', () => {
    const leaf = fc.oneof(
      fc.constant<JsonSchema>({ type: 'string' }),
      fc.constant<JsonSchema>({ type: 'integer', minimum: 0 }),
      fc.constant<JsonSchema>({ type: ['number', 'null'] }),
      fc.constant<JsonSchema>({ enum: ['a', 'b', 1] }),
    );
    const schema = fc.letrec<{ node: JsonSchema }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.record({ type: fc.constant('array'), items: tie('node') }),
        fc
          .dictionary(fc.string({ minLength: 1, maxLength: 4 }), tie('node'), { maxKeys: 4 })
          .chain((properties) =>
            fc.record({
              type: fc.constant('object'),
              properties: fc.constant(properties),
              required: fc.subarray(Object.keys(properties)),
              additionalProperties: fc.boolean(),
            }),
          ),
        fc.record({ anyOf: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
      ),
    })).node;
    fc.assert(fc.property(schema, (s) => compatibility(s, structuredClone(s)).level === 'FULL'));
    expect(compatibility(z.toJSONSchema(V1), V1).level).toBe('FULL');
  });

  it('assertCompatible throws SCHEMA_INCOMPATIBLE with the reasons for the level asked', async () => {
    const next = V1.extend({ qty: z.number() });
    expect(() => assertCompatible(V1, next, 'FORWARD')).not.toThrow();
    const error = await thrown(() => assertCompatible(V1, next, 'BACKWARD'));
    expect(error.code).toBe('SCHEMA_INCOMPATIBLE');
    expect(error.message).toContain('qty: required by the new schema');
    expect(error.details.reasons).toHaveLength(1);
    await expect(thrown(() => assertCompatible(V1, next, 'FULL'))).resolves.toMatchObject({
      code: 'SCHEMA_INCOMPATIBLE',
    });
  });
});
