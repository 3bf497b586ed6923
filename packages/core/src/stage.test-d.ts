import { describe, expectTypeOf, it } from 'vitest';
import { emit, many, type StageEndContext, type StageObject } from './index.js';

describe('StageObject.end types', () => {
  it('returns the outputs of the stage, in the forms process may return', () => {
    const ok: StageObject<number, string> = {
      process: (v) => String(v),
      end: (ctx) => many([String(ctx.partition), emit('x', { key: ctx.topic, timestamp: 1 })]),
    };
    expectTypeOf(ok.end).parameter(0).toEqualTypeOf<StageEndContext>();
    const wrong: StageObject<number, string> = {
      process: (v) => String(v),
      // @ts-expect-error an end output must be of the stage's output type
      end: () => 1,
    };
    expectTypeOf(wrong).toBeObject();
  });

  it("gives end the partition's keyed state and the reason", () => {
    expectTypeOf<StageEndContext['reason']>().toEqualTypeOf<'end' | 'stop'>();
    expectTypeOf<StageEndContext['partitionState']['keys']>().returns.toEqualTypeOf<
      Iterable<string>
    >();
  });
});
