import {
  jsonSerde,
  pipeline,
  type Sink,
  type Source,
  type StateStore,
  stringSerde,
  when,
} from '@tributary/core';
import type { ModelStore } from '@tributary/learn';
import { describe, expectTypeOf, it } from 'vitest';
import { deadLetterTopic, type KafkaBus, kafkaModelStore, kafkaStateStore } from './index.js';

interface Order {
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
