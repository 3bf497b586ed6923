import type {
  AdapterAdmin,
  AdapterProducer,
  ClientAdapter,
  OutMessage,
  ProducerSettings,
} from './adapter.js';
import { confluentAdapter, loadConfluent } from './confluentAdapter.js';
import { kafkaError } from './kafkaError.js';
import { kafkajsAdapter } from './kafkajsAdapter.js';
import { nativeAdapter } from './nativeAdapter.js';
import type { ResolvedBusOptions } from './resolveOptions.js';
import { TransactionCoordinator } from './transactionCoordinator.js';

/**
 * What the parts of one kafkaBus share: the client adapter, one producer (all sinks,
 * dead letters and state changelogs write through it), one admin client and, in
 * exactly-once mode, the transaction every write joins.
 */
export class BusContext {
  private adapterP: Promise<ClientAdapter> | undefined;
  private producerP: Promise<AdapterProducer> | undefined;
  private adminP: Promise<AdapterAdmin> | undefined;
  readonly transactions: TransactionCoordinator | undefined;
  private readonly closers: (() => Promise<void>)[] = [];
  closed = false;

  constructor(readonly options: ResolvedBusOptions) {
    this.transactions =
      options.exactlyOnce === undefined
        ? undefined
        : new TransactionCoordinator(() => this.producer());
  }

  adapter(): Promise<ClientAdapter> {
    const { client, connection } = this.options;
    this.adapterP ??=
      client === 'kafkajs'
        ? Promise.resolve(kafkajsAdapter(connection))
        : loadConfluent().then((mod) =>
            client === 'confluent-native'
              ? nativeAdapter(mod, connection)
              : confluentAdapter(mod, connection),
          );
    return this.adapterP;
  }

  /** The bus's producer, connected on first use. */
  producer(): Promise<AdapterProducer> {
    const eos = this.options.exactlyOnce;
    this.producerP ??= this.connectedProducer(
      {
        ...this.options.producer,
        ...(eos === undefined
          ? {}
          : {
              transactionalId: eos.transactionalId,
              transactionTimeoutMs: eos.transactionTimeoutMs,
            }),
      },
      'producer',
    ).then(
      (producer) => {
        this.onClose(async () => {
          await this.transactions?.close();
          await producer.disconnect();
        });
        return producer;
      },
      (error: unknown) => {
        this.producerP = undefined;
        throw error;
      },
    );
    return this.producerP;
  }

  /** A new producer with the bus's connection and `settings`, connected; the caller closes it. */
  async connectedProducer(settings: ProducerSettings, what: string): Promise<AdapterProducer> {
    const producer = (await this.adapter()).producer(settings);
    try {
      await producer.connect();
    } catch (error) {
      throw kafkaError('KAFKA_CONNECTION_FAILED', `${what} could not connect`, error, {
        brokers: this.options.connection.brokers,
      });
    }
    return producer;
  }

  /** The bus's admin client, connected on first use. */
  admin(): Promise<AdapterAdmin> {
    this.adminP ??= (async () => {
      const admin = (await this.adapter()).admin();
      try {
        await admin.connect();
      } catch (error) {
        this.adminP = undefined;
        throw kafkaError('KAFKA_CONNECTION_FAILED', 'admin client could not connect', error, {
          brokers: this.options.connection.brokers,
        });
      }
      this.onClose(() => admin.disconnect());
      return admin;
    })();
    return this.adminP;
  }

  /** Writes encoded records: in the open transaction (exactly-once) or as a plain send. */
  async write(topic: string, messages: readonly OutMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (this.transactions !== undefined) return this.transactions.write(topic, messages);
    const producer = await this.producer();
    await producer.send(topic, messages);
  }

  onClose(fn: () => Promise<void>): void {
    this.closers.push(fn);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Last opened, first closed: consumers before the producer they commit through.
    for (const fn of this.closers.reverse()) {
      try {
        await fn();
      } catch {
        // Closing is best effort: the broker times out whatever is left.
      }
    }
  }
}
