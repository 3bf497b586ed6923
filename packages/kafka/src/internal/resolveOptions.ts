import { invalidOption } from '@tributary/core';
import type { KafkaBusOptions, KafkaSasl, KafkaSsl } from '../kafkaBusOptions.js';
import type { ConsumerSettings, KafkaClientKind, ProducerSettings } from './adapter.js';
import { kafkajsHasCodec } from './kafkajsCodecs.js';

/** Connection settings every adapter needs. */
export interface ConnectionSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl: KafkaSsl | undefined;
  readonly sasl: KafkaSasl | undefined;
  readonly connectionTimeoutMs: number;
  readonly logLevel: NonNullable<KafkaBusOptions['logLevel']>;
}

/** Options of kafkaBus with defaults filled in and every value checked. */
export interface ResolvedBusOptions {
  readonly client: KafkaClientKind;
  readonly connection: ConnectionSettings;
  readonly producer: ProducerSettings;
  /** Consumer settings without the per-source group and start position. */
  readonly consumer: Omit<ConsumerSettings, 'groupId' | 'fromBeginning' | 'maxBatchSize'>;
  readonly exactlyOnce:
    | { readonly transactionalId: string; readonly transactionTimeoutMs: number }
    | undefined;
}

/** Client defaults of each profile. */
const PROFILES = {
  // Latency lingers 2 ms, not 0: on a busy broker one produce request per few records costs
  // more at the tail than the wait (p99 about 13 ms against 20 at 5,000 records/s, issue 13).
  latency: { lingerMs: 2, fetchMaxWaitMs: 5 },
  throughput: { lingerMs: 10, fetchMaxWaitMs: 100 },
} as const;

const MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
const COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const LOG_LEVELS = ['nothing', 'error', 'warn', 'info', 'debug'] as const;

function int(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min)
    throw invalidOption(name, `an integer >= ${min}`, value);
  return value;
}

function oneOf<T extends string | number>(
  name: string,
  value: T | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw invalidOption(name, `one of ${allowed.join(', ')}`, value);
  return value;
}

const PEM_CERTIFICATE = /-----BEGIN (TRUSTED )?CERTIFICATE-----/;
const PEM_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** PEM text, as both clients take it; a file path is the usual mistake. */
function checkPem(name: string, value: unknown, pem: RegExp, what: string, secret: boolean): void {
  const text =
    typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('latin1') : '';
  if (pem.test(text)) return;
  const shown = secret
    ? '<hidden>'
    : Buffer.isBuffer(value)
      ? `a Buffer of ${value.length} bytes`
      : value;
  throw invalidOption(name, `PEM text (string or Buffer) with ${what}, not a file path`, shown);
}

function checkSsl(ssl: KafkaSsl): void {
  if (typeof ssl === 'boolean') return;
  if (typeof ssl !== 'object' || ssl === null) {
    throw invalidOption('ssl', 'a boolean or { ca, cert, key, rejectUnauthorized }', ssl);
  }
  if (ssl.ca !== undefined) checkPem('ssl.ca', ssl.ca, PEM_CERTIFICATE, 'certificates', false);
  if (ssl.cert !== undefined)
    checkPem('ssl.cert', ssl.cert, PEM_CERTIFICATE, 'a certificate', false);
  if (ssl.key !== undefined) checkPem('ssl.key', ssl.key, PEM_KEY, 'a private key', true);
  // A client certificate is useless without its key, and the other way round.
  if (ssl.cert !== undefined && ssl.key === undefined) {
    throw invalidOption('ssl.key', 'the private key of ssl.cert', undefined);
  }
  if (ssl.key !== undefined && ssl.cert === undefined) {
    throw invalidOption('ssl.cert', 'the certificate of ssl.key', undefined);
  }
  if (ssl.rejectUnauthorized !== undefined && typeof ssl.rejectUnauthorized !== 'boolean') {
    throw invalidOption('ssl.rejectUnauthorized', 'a boolean', ssl.rejectUnauthorized);
  }
}

/** Validates kafkaBus options; bad ones throw INVALID_OPTION naming the option. */
export function resolveOptions(options: KafkaBusOptions): ResolvedBusOptions {
  if (typeof options !== 'object' || options === null)
    throw invalidOption('options', 'an object', options);
  const brokers =
    typeof options.brokers === 'string' ? options.brokers.split(',') : options.brokers;
  if (
    !Array.isArray(brokers) ||
    brokers.length === 0 ||
    !brokers.every((b) => typeof b === 'string' && /^[^\s:]+:\d+$/.test(b.trim()))
  ) {
    throw invalidOption('brokers', "'host:port' or a non-empty list of them", options.brokers);
  }
  const client = oneOf(
    'client',
    options.client,
    ['kafkajs', 'confluent', 'confluent-native'],
    'kafkajs',
  );
  const profile =
    options.profile === undefined
      ? undefined
      : PROFILES[oneOf('profile', options.profile, ['latency', 'throughput'], 'throughput')];
  const clientId = options.clientId ?? 'tributary';
  if (typeof clientId !== 'string' || clientId.length === 0) {
    throw invalidOption('clientId', 'a non-empty string', clientId);
  }
  const sasl = options.sasl;
  if (sasl !== undefined) {
    oneOf('sasl.mechanism', sasl.mechanism, MECHANISMS, 'plain');
    if (typeof sasl.username !== 'string' || sasl.username.length === 0) {
      throw invalidOption('sasl.username', 'a non-empty string', sasl.username);
    }
    if (typeof sasl.password !== 'string')
      throw invalidOption('sasl.password', 'a string', '<hidden>');
  }
  const ssl = options.ssl;
  if (ssl !== undefined) checkSsl(ssl);
  const p = options.producer ?? {};
  const acks = oneOf<-1 | 0 | 1>('producer.acks', p.acks, [-1, 0, 1], -1);
  const idempotent = p.idempotent ?? true;
  if (idempotent && acks !== -1) {
    throw invalidOption('producer.acks', '-1 while producer.idempotent is true', acks);
  }
  const eos = options.exactlyOnce;
  if (
    eos !== undefined &&
    (typeof eos.transactionalId !== 'string' || eos.transactionalId === '')
  ) {
    throw invalidOption('exactlyOnce.transactionalId', 'a non-empty string', eos.transactionalId);
  }
  const compression = oneOf('producer.compression', p.compression, COMPRESSIONS, 'none');
  // Otherwise kafkajs throws at the first send, long after the bus was built.
  if (client === 'kafkajs' && !kafkajsHasCodec(compression)) {
    throw invalidOption(
      'producer.compression',
      "'none' or 'gzip' with client 'kafkajs' (register the codec in kafkajs' CompressionCodecs, or use client 'confluent')",
      compression,
    );
  }
  const c = options.consumer ?? {};
  const sessionTimeoutMs = int('consumer.sessionTimeoutMs', c.sessionTimeoutMs, 30_000, 1000);
  const heartbeatIntervalMs = int('consumer.heartbeatIntervalMs', c.heartbeatIntervalMs, 3000, 100);
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw invalidOption(
      'consumer.heartbeatIntervalMs',
      `less than sessionTimeoutMs (${sessionTimeoutMs})`,
      heartbeatIntervalMs,
    );
  }
  return {
    client,
    connection: {
      brokers: brokers.map((b) => b.trim()),
      clientId,
      ssl,
      sasl,
      connectionTimeoutMs: int('connectionTimeoutMs', options.connectionTimeoutMs, 10_000),
      logLevel: oneOf('logLevel', options.logLevel, LOG_LEVELS, 'warn'),
    },
    producer: {
      acks,
      idempotent: idempotent || eos !== undefined,
      lingerMs: int('producer.lingerMs', p.lingerMs, profile?.lingerMs ?? 5, 0),
      compression,
      maxMessageBytes: int('producer.maxMessageBytes', p.maxMessageBytes, 1_048_588),
      writeConcurrency: int('producer.writeConcurrency', p.writeConcurrency, 4),
    },
    consumer: {
      sessionTimeoutMs,
      heartbeatIntervalMs,
      maxPollIntervalMs: int('consumer.maxPollIntervalMs', c.maxPollIntervalMs, 300_000, 1000),
      concurrency: int('consumer.concurrency', c.concurrency, 16),
      readCommitted: c.readCommitted ?? true,
      fetchMaxWaitMs:
        c.fetchMaxWaitMs === undefined && profile === undefined
          ? undefined
          : int('consumer.fetchMaxWaitMs', c.fetchMaxWaitMs, profile?.fetchMaxWaitMs ?? 100, 0),
    },
    exactlyOnce:
      eos === undefined
        ? undefined
        : {
            transactionalId: eos.transactionalId,
            transactionTimeoutMs: int(
              'exactlyOnce.transactionTimeoutMs',
              eos.transactionTimeoutMs,
              60_000,
              1000,
            ),
          },
  };
}
