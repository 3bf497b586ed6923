import { pipeline, type Source } from '@tributary/core';
import { describe, expectTypeOf, it } from 'vitest';
import { compose, type VectorModel } from './compose.js';
import { defineTransform, type FieldTransformOptions } from './defineTransform.js';
import type { FeatureMap } from './featureMap.js';
import type { RowStep } from './rowTransform.js';
import type { Transform } from './transform.js';

interface Tx {
  readonly amount: number;
  readonly age: number | null;
  readonly merchant: string;
}
declare const source: Source<Tx, unknown>;
declare const model: VectorModel<number, number>;

function runningMax<T extends object = FeatureMap>(
  options: FieldTransformOptions<T> = {},
): Transform<T, T> {
  return defineTransform(
    {
      kind: 'runningMax',
      init: () => ({ max: 0 }),
      learn(s, x, field) {
        expectTypeOf(s).toEqualTypeOf<{ max: number }>();
        expectTypeOf(field).toEqualTypeOf<string>();
        s.max = Math.max(s.max, x);
        return s;
      },
      transform: (s, x) => Math.min(x, s.max),
      isState: (s): s is { max: number } => typeof s === 'object' && s !== null && 'max' in s,
    },
    options,
  );
}

describe('defineTransform', () => {
  it('infers the state from init, for learn, transform and isState', () => {
    defineTransform({
      kind: 'k',
      init: () => 0,
      learn: (n, x) => n + x,
      transform: (n, x) => {
        expectTypeOf(n).toEqualTypeOf<number>();
        return x / n;
      },
      isState: (s): s is number => typeof s === 'number',
    });
    defineTransform({
      kind: 'k',
      init: () => 0,
      // @ts-expect-error: learn returns the next state, a number here
      learn: (n, x) => String(n + x),
      transform: (_, x) => x,
      isState: (s): s is number => typeof s === 'number',
    });
    // @ts-expect-error: transform returns a number
    defineTransform({ kind: 'k', transform: (_, x) => `${x}` });
  });

  it('gives a stateless transform a null state', () => {
    const t = defineTransform({
      kind: 'log1p',
      transform: (s, x) => {
        expectTypeOf(s).toEqualTypeOf<null>();
        return Math.log1p(x);
      },
    });
    expectTypeOf(t).toEqualTypeOf<Transform<FeatureMap, FeatureMap>>();
  });

  it('checks fields by name and keeps the record type in a pipeline', () => {
    const p = pipeline(source).pipe(runningMax({ fields: ['amount', 'age'] }));
    expectTypeOf(p).toEqualTypeOf<ReturnType<typeof pipeline<Tx>>>();
    // @ts-expect-error: no such field
    pipeline(source).pipe(runningMax({ fields: ['amout'] }));
    expectTypeOf(runningMax<Tx>({ name: 'max', learn: false })).toEqualTypeOf<Transform<Tx, Tx>>();
  });

  it('is a row step for vectorize and compose', () => {
    expectTypeOf(runningMax()).toExtend<RowStep>();
    expectTypeOf(
      compose(runningMax({ fields: ['amount'] }), model).predict,
    ).returns.toEqualTypeOf<number>();
  });
});
