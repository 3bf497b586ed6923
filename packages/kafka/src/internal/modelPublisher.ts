import { randomUUID } from 'node:crypto';
import {
  type JsonValue,
  type LearnerSnapshot,
  type ModelVersion,
  TributaryError,
} from '@tributary/core';
import type { AdapterProducer, OutMessage } from './adapter.js';
import { isTributaryErrorLike, kafkaError } from './kafkaError.js';
import { approximateSize } from './kafkaSink.js';
import { encodeModelKey, encodeModelValue } from './modelCatalog.js';
import { modelStoreError } from './modelStoreError.js';

/** What {@link ModelPublisher} writes to. */
export interface ModelPublisherOptions {
  readonly topic: string;
  /** The one partition of the model topic. */
  readonly partition: number;
  /** The producer's limit: a larger save fails before it is sent. */
  readonly maxMessageBytes: number;
  /** Clock for `savedAt`. */
  readonly now: () => number;
  /** Connects the store's own producer (never transactional, acks=all, idempotent). */
  readonly connect: () => Promise<AdapterProducer>;
}

/**
 * Writes the store's saves and tombstones with its own producer, under keys unique to this
 * store instance, and resolves each save when the follower reads it back ({@link readBack}),
 * so the version number (offset + 1) is known and read-your-writes holds.
 */
export class ModelPublisher {
  private readonly writer = randomUUID();
  private seq = 0;
  // Saves waiting to be read back: record key → settle.
  private readonly pending = new Map<
    string,
    { resolve: (m: ModelVersion) => void; reject: (e: unknown) => void }
  >();
  private producerP: Promise<AdapterProducer> | undefined;
  private closed = false;

  constructor(private readonly options: ModelPublisherOptions) {}

  /** Sends one version of `name` and resolves with it once it is read back. */
  async save(
    name: string,
    snapshot: LearnerSnapshot,
    metadata: { readonly [key: string]: JsonValue },
  ): Promise<ModelVersion> {
    const { topic, now, maxMessageBytes: limit } = this.options;
    this.seq += 1;
    const key = encodeModelKey({ name, writer: this.writer, seq: this.seq });
    const message: OutMessage = {
      key: Buffer.from(key, 'utf8'),
      value: Buffer.from(encodeModelValue(name, snapshot, now(), metadata), 'utf8'),
      headers: {},
      partition: this.options.partition,
    };
    const bytes = approximateSize(message);
    if (bytes > limit) {
      throw new TributaryError(
        'KAFKA_RECORD_TOO_LARGE',
        `model ${name} is about ${bytes} bytes as a record of ${topic}; producer.maxMessageBytes is ${limit}`,
        { details: { topic, model: name, bytes, limit } },
      );
    }
    const readBack = new Promise<ModelVersion>((resolve, reject) => {
      this.pending.set(key, { resolve, reject });
    });
    // Rejected only by close(); handled below, but never left unhandled meanwhile.
    readBack.catch(() => undefined);
    try {
      await this.send([message], `saving ${name} failed`);
    } catch (error) {
      this.pending.delete(key);
      throw error;
    }
    return readBack;
  }

  /** Tombstones the records with these keys. */
  tombstone(keys: readonly string[], name: string): Promise<void> {
    const tombstones = keys.map(
      (k): OutMessage => ({
        key: Buffer.from(k, 'utf8'),
        value: null,
        headers: {},
        partition: this.options.partition,
      }),
    );
    return this.send(tombstones, `tombstones for ${name}`);
  }

  /** The follower read the record under `key`: settles the save that wrote it, if any. */
  readBack(key: string, model: ModelVersion): void {
    const waiting = this.pending.get(key);
    if (waiting === undefined) return;
    this.pending.delete(key);
    waiting.resolve(model);
  }

  /** Fails waiting saves with `reason` and refuses new ones; then disconnects the producer. */
  async close(reason: unknown): Promise<void> {
    this.closed = true;
    for (const waiting of this.pending.values()) waiting.reject(reason);
    this.pending.clear();
    const p = this.producerP;
    this.producerP = undefined;
    await p?.then((x) => x.disconnect()).catch(() => undefined);
  }

  private producer(): Promise<AdapterProducer> {
    if (this.closed) return Promise.reject(modelStoreError(this.options.topic, 'closed'));
    this.producerP ??= this.options.connect().catch((error: unknown) => {
      this.producerP = undefined;
      throw error;
    });
    return this.producerP;
  }

  private async send(messages: OutMessage[], what: string): Promise<void> {
    const { topic } = this.options;
    try {
      await (await this.producer()).send(topic, messages);
    } catch (error) {
      if (isTributaryErrorLike(error)) throw error;
      throw kafkaError('KAFKA_DELIVERY_FAILED', `model store ${topic}: ${what}`, error, { topic });
    }
  }
}
