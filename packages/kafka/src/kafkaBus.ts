import type { Bus, Sink, SinkOptions, Source, SourceOptions } from '@tributary/core';
import type { KafkaClientKind } from './internal/adapter.js';
import { BusContext } from './internal/busContext.js';
import { kafkaAdmin } from './internal/kafkaAdmin.js';
import { kafkaSink } from './internal/kafkaSink.js';
import { kafkaSource } from './internal/kafkaSource.js';
import { resolveOptions } from './internal/resolveOptions.js';
import type { KafkaBusOptions } from './kafkaBusOptions.js';

/** A {@link Bus} on an Apache Kafka cluster; values travel as bytes (`null` is a tombstone). */
export interface KafkaBus extends Bus<Uint8Array | null> {
  readonly kind: 'kafka';
  /** The Node client underneath. */
  readonly client: KafkaClientKind;
  /** True when sinks write in transactions that also commit source offsets. */
  readonly exactlyOnce: boolean;
}

const contexts = new WeakMap<KafkaBus, BusContext>();

/** The shared internals of a bus (producer, admin, transactions), for this package's other parts. */
export function busContext(bus: KafkaBus): BusContext {
  const ctx = contexts.get(bus);
  if (ctx === undefined) throw new TypeError('not a kafkaBus()');
  return ctx;
}

/**
 * A Kafka bus over kafkajs (default) or the Confluent client. Options are checked now;
 * connections open on first use and `close()` releases them.
 */
export function kafkaBus(options: KafkaBusOptions): KafkaBus {
  const ctx = new BusContext(resolveOptions(options));
  const bus: KafkaBus = {
    kind: 'kafka',
    client: ctx.options.client,
    exactlyOnce: ctx.transactions !== undefined,
    source: <V = Uint8Array | null>(
      o: SourceOptions<V, Uint8Array | null>,
    ): Source<V, Uint8Array | null> => kafkaSource(ctx, o),
    sink: <V = unknown>(o: SinkOptions<V, Uint8Array | null>): Sink<V> => kafkaSink(ctx, o),
    admin: kafkaAdmin(ctx),
    close: () => ctx.close(),
  };
  contexts.set(bus, ctx);
  return bus;
}
