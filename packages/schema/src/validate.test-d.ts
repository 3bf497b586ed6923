import { type PipelineBuilder, pipeline, type Source } from '@tributary/core';
import { expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import { profile } from './profile.js';
import { qualityCheck } from './qualityCheck.js';
import { registrySerde } from './registrySerde.js';
import { rule } from './rule.js';
import type { SchemaRegistry } from './schemaRegistry.js';
import { validate } from './validate.js';

const Payment = z.object({
  id: z.string(),
  amount: z.coerce.number(),
  tags: z.array(z.string()).default([]),
});
type Payment = { id: string; amount: number; tags: string[] };
declare const bytes: Source<Uint8Array>;
declare const registry: SchemaRegistry;

test('validate turns any input into the schema output, and pass-through stages keep it', () => {
  const b = pipeline(bytes)
    .pipe(validate(Payment))
    .pipe(qualityCheck([rule.notNull('id')]))
    .pipe(profile());
  expectTypeOf(b).toEqualTypeOf<PipelineBuilder<Payment>>();
  // @ts-expect-error amount is a number after validation
  b.pipe((p: { amount: string }) => p);
});

test('registrySerde values are the schema output', () => {
  const serde = registrySerde(registry, Payment, { subject: 'p-value' });
  expectTypeOf(serde.deserialize).returns.toEqualTypeOf<Promise<Payment>>();
  expectTypeOf(serde.serialize).parameter(0).toEqualTypeOf<Payment>();
});
