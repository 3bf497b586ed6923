import { type PipelineBuilder, pipeline, type Source } from '@tributary/core';
import { expectTypeOf, test } from 'vitest';
import { decryptFields } from './decryptFields.js';
import { encryptFields } from './encryptFields.js';
import { pseudonymize } from './pseudonymize.js';
import { redact } from './redact.js';

type Tx = { user: number; amount: number; note: string | null };
declare const source: Source<Tx>;
const ring = { current: 'a', keys: { a: new Uint8Array(32) } };

test('privacy stages change the types of the fields they touch, inferred in pipe()', () => {
  const b = pipeline(source)
    .pipe(pseudonymize(['user'], 'k'.repeat(32)))
    .pipe(redact(['note']))
    .pipe(encryptFields(['amount'], ring));
  expectTypeOf(b).toEqualTypeOf<PipelineBuilder<{ user: string; amount: string }>>();
  const pseudo = pipeline(source).pipe(pseudonymize(['user'], 'k'.repeat(32)));
  // @ts-expect-error the pseudonymized user is no longer a number
  pseudo.pipe((v: { user: number }) => v);
});

test('decryptFields takes the decrypted type', () => {
  const s = decryptFields<Tx>(['user'], ring);
  expectTypeOf(s.process).returns.toExtend<Tx | unknown>();
  const r = redact<Tx, 'note', number>(['note'], { replacement: 0 });
  expectTypeOf(r.process).returns.toExtend<
    { user: number; amount: number; note: number | null } | unknown
  >();
});
