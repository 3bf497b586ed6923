import {
  jsonSerde,
  type ModelStore,
  pipeline,
  type Sink,
  type Source,
  type StateStore,
  stringSerde,
  when,
} from '@tributary/core';
import { describe, expectTypeOf, it } from 'vitest';
import { deadLetterTopic, type KafkaBus, kafkaModelStore, kafkaStateStore } from './index.js';

interface Order {
  readonly id: string;
  readonly amount: number;
}
interface Refund {
  readonly kind: 'refund';
  readonly id: string;
}
interface Charge {
  readonly kind: 'charge';
  readonly id: string;
  readonly amount: number;
}

// Types only: nothing here runs, so no broker is needed.
const bus = {} as KafkaBus;

describe('kafkaBus types', () => {
  it('a source without a serde yields raw values; with one, the serde type', () => {
    expectTypeOf(bus.source({ topic: 't', group: 'g' })).toEqualTypeOf<
      Source<Uint8Array | null, Uint8Array | null>
    >();
    expectTypeOf(bus.source({ topic: 't', group: 'g', serde: stringSerde() })).toEqualTypeOf<
      Source<string, Uint8Array | null>
    >();
    expectTypeOf(bus.source({ topic: 't', group: 'g', serde: jsonSerde<Order>() })).toEqualTypeOf<
      Source<Order, Uint8Array | null>
    >();
  });

  it('a typed source without a serde does not compile', () => {
    // @ts-expect-error the value type comes from the serde
    bus.source<Order>({ topic: 't', group: 'g' });
  });

  it('sinks take their value type; routes check it', () => {
    const orders = bus.sink<Order>({ topic: 'orders' });
    expectTypeOf(orders).toEqualTypeOf<Sink<Order>>();
    const p = pipeline(bus.source({ topic: 't', group: 'g', serde: jsonSerde<Order>() }));
    p.to(orders);
    p.to(when((o) => o.amount > 10, orders));
    // @ts-expect-error a sink of strings does not take orders
    p.to(bus.sink<string>({ topic: 'names' }));
  });

  it('when routes a union of outputs to topic sinks typed by their serde', () => {
    const p = pipeline(bus.source({ topic: 't', group: 'g', serde: jsonSerde<Order>() })).pipe(
      (o): Refund | Charge =>
        o.amount < 0 ? { kind: 'refund', id: o.id } : { kind: 'charge', ...o },
    );
    const refunds = bus.sink({ topic: 'refunds', serde: jsonSerde<Refund>() });
    expectTypeOf(refunds).toEqualTypeOf<Sink<Refund>>();
    // The comparison is a type guard, so the sink of one member fits.
    p.to(
      when((o) => o.kind === 'refund', refunds),
      when(
        (o) => o.kind === 'charge',
        (c) => {
          expectTypeOf(c).toEqualTypeOf<Charge>();
          return `${c.id}:${c.amount}`;
        },
        bus.sink({ topic: 'charges', serde: stringSerde() }),
      ),
      // A dead-letter topic takes any value.
      when((o) => o.id === '', deadLetterTopic(bus, 'dlq')),
    );
    // @ts-expect-error a boolean predicate narrows nothing: the refunds sink cannot take charges
    p.to(when((o): boolean => o.kind === 'refund', refunds));
    // @ts-expect-error the guard picks charges, the sink takes refunds
    p.to(when((o) => o.kind === 'charge', refunds));
  });

  it('when splits raw records from tombstones', () => {
    const raw = pipeline(bus.source({ topic: 't', group: 'g' }));
    raw.to(
      when((v) => v !== null, bus.sink<Uint8Array>({ topic: 'values' })),
      when((v) => v === null, bus.sink<null>({ topic: 'deletes' })),
    );
    // @ts-expect-error without the guard, tombstones (null) would reach a sink of bytes
    raw.to(bus.sink<Uint8Array>({ topic: 'values' }));
  });

  it('dead-letter topics, the state store and the model store', () => {
    expectTypeOf(deadLetterTopic(bus, 'dlq')).toEqualTypeOf<Sink<unknown>>();
    expectTypeOf(kafkaStateStore(bus, { topic: 'pipeline-state' })).toExtend<StateStore>();
    const store = kafkaModelStore(bus, { topic: 'models' });
    expectTypeOf(store).toExtend<ModelStore>();
    expectTypeOf(store.names()).toEqualTypeOf<Promise<string[]>>();
    // @ts-expect-error the topic is required
    kafkaModelStore(bus, {});
  });
});
