import { pipeline, type Source } from '@tributary/core';
import { describe, expectTypeOf, it } from 'vitest';
import { count, sum } from './aggregates.js';
import { featureHasher } from './featureHasher.js';
import { featureVector } from './featureVector.js';
import { imputer } from './imputer.js';
import { oneHotEncoder } from './oneHotEncoder.js';
import { standardScaler } from './standardScaler.js';
import { windowedAggregates } from './windowedAggregates.js';
import { sliding, tumbling } from './windows.js';

interface Tx {
  readonly card: string;
  readonly amount: number;
  readonly age: number | null;
  readonly merchant: string;
}
declare const source: Source<Tx, unknown>;

describe('transforms in a typed pipeline', () => {
  it('infer the record type from the pipeline, so fields are checked by name', () => {
    const p = pipeline(source)
      .pipe(imputer({ fields: { age: 'mean' } }))
      .pipe(standardScaler({ fields: ['amount', 'age'] }));
    expectTypeOf(p).toEqualTypeOf<ReturnType<typeof pipeline<Tx>>>();
    // @ts-expect-error: no such field
    pipeline(source).pipe(standardScaler({ fields: ['amout'] }));
  });

  it('type one-hot and hashed outputs', () => {
    const enc = oneHotEncoder<Tx, 'merchant'>({ fields: ['merchant'] });
    const p = pipeline(source).pipe(enc);
    p.pipe((v) => {
      expectTypeOf(v.amount).toEqualTypeOf<number>();
      expectTypeOf(v['merchant=shop']).toEqualTypeOf<number | undefined>();
      // @ts-expect-error: the encoded field is gone
      v.merchant;
      return v;
    });
    const h = featureHasher<Tx, 'merchant' | 'card', 'h'>({
      fields: ['merchant', 'card'],
      nFeatures: 8,
      into: 'h',
    });
    pipeline(source)
      .pipe(h)
      .pipe((v) => expectTypeOf(v.h).toEqualTypeOf<Float64Array>());
  });

  it('type windowed aggregates from the aggregator record', () => {
    const w = windowedAggregates({
      window: sliding(60_000),
      aggregates: { n: count(), total: sum((t: Tx) => t.amount) },
    });
    pipeline(source)
      .pipe(w)
      .pipe((f) => {
        expectTypeOf(f.value).toEqualTypeOf<Tx>();
        expectTypeOf(f.aggregates).toEqualTypeOf<{ readonly n: number; readonly total: number }>();
        return f;
      });
    const closed = windowedAggregates({
      window: tumbling(1000),
      aggregates: { n: count() },
      output: 'windows',
    });
    expectTypeOf(closed.process).parameter(0).toBeUnknown();
    pipeline(source)
      .pipe(featureVector({ select: (t) => ({ amount: t.amount }) }))
      .pipe((fv) => expectTypeOf(fv.value).toEqualTypeOf<Tx>());
  });
});

describe('inference without type arguments', () => {
  it('infers the one-hot record type from the pipeline and the fields from the option', () => {
    pipeline(source)
      .pipe(oneHotEncoder({ fields: ['merchant'] }))
      .pipe((v) => {
        expectTypeOf(v.amount).toEqualTypeOf<number>();
        return v;
      });
    pipeline(source)
      .pipe(featureHasher({ fields: ['merchant'], nFeatures: 4 }))
      .pipe((v) => expectTypeOf(v.hashed).toEqualTypeOf<Float64Array>());
  });
});
