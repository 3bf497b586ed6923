import { describe, expectTypeOf, it } from 'vitest';
import {
  emit,
  many,
  memoryBus,
  type Pipeline,
  type PipelineBuilder,
  pipeline,
  type Sink,
  type StageObject,
  when,
} from './index.js';

interface Txn {
  readonly id: string;
  readonly amount: number;
}

const bus = memoryBus();
const source = bus.source<Txn>({ topic: 'txns', group: 'g' });

describe('pipeline() types', () => {
  it('infers the value type through every step', () => {
    const p = pipeline(source)
      .pipe((t) => t.amount)
      .pipe(async (n) => ({ big: n > 100 }))
      .pipe((x) => (x.big ? 'alert' : undefined));
    expectTypeOf(p).toEqualTypeOf<PipelineBuilder<'alert'>>();
  });

  it('infers the item type of many() and emit()', () => {
    const p = pipeline(source)
      .pipe((t) => many([t.id, emit(t.id, { key: 'k' })]))
      .pipe((id) => id.length);
    expectTypeOf(p).toEqualTypeOf<PipelineBuilder<number>>();
  });

  it('rejects a stage whose input type does not match', () => {
    const numberStage = (n: number) => n + 1;
    // @ts-expect-error: Txn is not a number
    pipeline(source).pipe(numberStage);
    const objectStage: StageObject<string, string> = { process: (s) => s };
    // @ts-expect-error: Txn is not a string
    pipeline(source).pipe(objectStage);
    const amounts = pipeline(source).pipe((t) => t.amount);
    // @ts-expect-error: the output of step 1 is a number, not a Txn
    amounts.pipe((t: Txn) => t.id);
  });

  it('rejects a sink or route of the wrong value type', () => {
    const numbers: Sink<number> = { name: 'n', write: async () => {} };
    const txns: Sink<Txn> = { name: 't', write: async () => {} };
    expectTypeOf(pipeline(source).to(txns)).toEqualTypeOf<Pipeline<Txn>>();
    // @ts-expect-error: a Sink<number> cannot take Txn values
    pipeline(source).to(numbers);
    // @ts-expect-error: the route predicate and sink are typed by the value
    pipeline(source).to(when((t: Txn) => t.amount > 1, numbers));
    pipeline(source).to(
      txns,
      when((t) => t.amount > 1, txns),
    );
  });

  it('narrows the sink type of a route with a type guard', () => {
    type Out = { kind: 'score'; p: number } | { kind: 'drift'; at: number };
    const drifts: Sink<{ kind: 'drift'; at: number }> = { name: 'd', write: async () => {} };
    const outs = pipeline(source).pipe((t): Out => ({ kind: 'score', p: t.amount }));
    outs.to(when((o): o is Extract<Out, { kind: 'drift' }> => o.kind === 'drift', drifts));
    // TypeScript infers the guard from a plain comparison, too.
    outs.to(when((o) => o.kind === 'drift', drifts));
    // @ts-expect-error: a predicate typed as boolean is no guard: the sink must take every output
    outs.to(when((o): boolean => o.kind === 'drift', drifts));
  });
});
