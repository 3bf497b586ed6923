/**
 * The slice of the Confluent binding's librdkafka-level API (`KafkaConsumer`, `Producer`) that
 * the latency bench's plain loops use, loaded as the bus loads it (an optional dependency).
 */
import { createRequire } from 'node:module';

/** What both client kinds share: callback connect and disconnect. */
export interface NativeClient {
  connect(options: object, cb: (err: unknown) => void): void;
  disconnect(cb: () => void): void;
}

/** A consumer in flowing mode: `consume()` without arguments emits each record as `data`. */
export interface NativeConsumer extends NativeClient {
  subscribe(topics: string[]): void;
  consume(): void;
  on(event: 'data', cb: (m: { key: Buffer | null; value: Buffer }) => void): void;
}

/** A producer whose `produce` enqueues one record. */
export interface NativeProducer extends NativeClient {
  produce(topic: string, partition: null, value: Buffer, key: Buffer | string | null): void;
  setPollInterval(ms: number): void;
}

interface NativeModule {
  KafkaConsumer: new (conf: object, topicConf: object) => NativeConsumer;
  Producer: new (conf: object) => NativeProducer;
}

/** The binding's module (throws when the optional client is not installed). */
export function nativeBinding(): NativeModule {
  return createRequire(import.meta.url)('@confluentinc/kafka-javascript') as NativeModule;
}

/** Resolves once `client` is connected. */
export function connected<C extends NativeClient>(client: C): Promise<C> {
  return new Promise((resolve, reject) =>
    client.connect({}, (err) => (err ? reject(err) : resolve(client))),
  );
}

/** Resolves once `client` is disconnected. */
export function disconnected(client: NativeClient): Promise<void> {
  return new Promise((resolve) => client.disconnect(resolve));
}
