import { expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import { json } from './json.js';

test('the schema output type flows into the serde', () => {
  const serde = json(z.object({ n: z.coerce.number(), tags: z.array(z.string()).default([]) }));
  expectTypeOf(serde.deserialize).returns.toEqualTypeOf<
    { n: number; tags: string[] } | Promise<{ n: number; tags: string[] }>
  >();
  expectTypeOf(serde.serialize).parameter(0).toEqualTypeOf<{ n: number; tags: string[] }>();
  // @ts-expect-error a wrong value type does not compile
  serde.serialize({ n: 'x', tags: [] });
});
