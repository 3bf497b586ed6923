import { describe, expectTypeOf, it } from 'vitest';
import {
  type Bus,
  type Bytes,
  emit,
  jsonSerde,
  many,
  memoryBus,
  type Pipeline,
  type PipelineBuilder,
  pipeline,
  type Sink,
  type Source,
  type StageObject,
  stringSerde,
  when,
} from './index.js';

interface Txn {
  readonly id: string;
  readonly amount: number;
}

const bus = memoryBus();
const source = bus.source({ topic: 'txns', group: 'g', serde: jsonSerde<Txn>() });
declare const anyBus: Bus;

describe('Bus.source() types', () => {
  it('gives raw bytes without a serde, on the memory bus as on any bus', () => {
    expectTypeOf(bus.source({ topic: 't', group: 'g' })).toEqualTypeOf<Source<Bytes, Bytes>>();
    expectTypeOf(anyBus.source({ topic: 't', group: 'g' })).toEqualTypeOf<Source<Bytes, Bytes>>();
  });

  it('takes the value type from the serde', () => {
    expectTypeOf(source).toEqualTypeOf<Source<Txn, Bytes>>();
    expectTypeOf(bus.source({ topic: 't', group: 'g', serde: stringSerde() })).toEqualTypeOf<
      Source<string, Bytes>
    >();
  });

  it('refuses a typed source without a serde (an unchecked cast)', () => {
    // @ts-expect-error: a typed value needs a serde that produces it
    bus.source<Txn>({ topic: 't', group: 'g' });
    // @ts-expect-error: the same on any bus, e.g. kafkaBus()
    anyBus.source<Txn>({ topic: 't', group: 'g' });
    // @ts-expect-error: raw values are bytes, not objects
    pipeline(bus.source({ topic: 't', group: 'g' })).pipe((o: Txn) => o.amount * 0.2);
    // @ts-expect-error: the serde's type must match the one asked for
    bus.source<Txn>({ topic: 't', group: 'g', serde: stringSerde() });
  });

  it('types memory records read back through a serde', () => {
    expectTypeOf(bus.records('t')[0]?.value).toEqualTypeOf<Bytes | undefined>();
    expectTypeOf(bus.records('t', jsonSerde<Txn>())[0]?.value).toEqualTypeOf<Txn | undefined>();
    bus.produce('t', [{ value: { id: 'a', amount: 1 } }], { serde: jsonSerde<Txn>() });
    // @ts-expect-error: the produce serde types the values
    bus.produce('t', [{ value: 'text' }], { serde: jsonSerde<Txn>() });
  });
});

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
