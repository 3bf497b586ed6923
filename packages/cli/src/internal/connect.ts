import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Bus, consoleLogger, silentLogger } from '@tributary/core';
import {
  type KafkaBus,
  type KafkaBusOptions,
  type KafkaClientKind,
  type KafkaSasl,
  kafkaBus,
  kafkaModelStore,
} from '@tributary/kafka';
import type { CliIo } from '../cliIo.js';
import { devBus } from '../devBus.js';
import { type CliModelStore, fileModelStore } from './cliModelStore.js';
import { cliError, usageError } from './usageError.js';

/** Options every command takes (commander's camelCase names). */
export interface GlobalOptions {
  readonly brokers?: string;
  readonly dev?: string;
  readonly client?: KafkaClientKind;
  readonly ssl?: boolean;
  readonly sslCa?: string;
  readonly sslCert?: string;
  readonly sslKey?: string;
  readonly sslInsecure?: boolean;
  readonly saslMechanism?: KafkaSasl['mechanism'];
  readonly saslUsername?: string;
  readonly saslPassword?: string;
  readonly registry?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly progress?: boolean;
}

/** The bus a command works on, and how to leave it. */
export interface Connection {
  readonly kind: 'dev' | 'kafka';
  readonly bus: Bus;
  /** Model store on `topic`: kafkaModelStore, or a file of the dev directory. */
  modelStore(topic: string): CliModelStore;
  /** Dev mode: loads records other processes appended. Kafka: nothing to do (0). */
  refresh(): Promise<number>;
  /** Dev mode: writes what this command changed back to the directory. */
  save(): Promise<void>;
  close(): Promise<void>;
}

const mechanisms: readonly KafkaSasl['mechanism'][] = ['plain', 'scram-sha-256', 'scram-sha-512'];

/**
 * Kafka bus options from the command line and the environment (`KAFKA_BROKERS`,
 * `KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`); certificate
 * options are PEM file paths, read with `read`.
 */
export async function kafkaOptionsFrom(
  o: GlobalOptions,
  env: CliIo['env'],
  read: (path: string) => Promise<Buffer> = (p) => readFile(p),
): Promise<KafkaBusOptions> {
  const brokers = (o.brokers ?? env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0) {
    throw usageError('--brokers (or KAFKA_BROKERS) is empty', { option: '--brokers' });
  }
  const pem = async (path: string | undefined, option: string) => {
    if (path === undefined) return undefined;
    try {
      return await read(path);
    } catch (error) {
      throw usageError(`${option}: cannot read ${path}: ${(error as Error).message}`, { option });
    }
  };
  const ca = await pem(o.sslCa, '--ssl-ca');
  const cert = await pem(o.sslCert, '--ssl-cert');
  const key = await pem(o.sslKey, '--ssl-key');
  if ((cert === undefined) !== (key === undefined)) {
    throw usageError('--ssl-cert and --ssl-key go together (a client certificate and its key)');
  }
  const tls = o.ssl === true || ca !== undefined || cert !== undefined || o.sslInsecure === true;
  const ssl = !tls
    ? undefined
    : ca === undefined && cert === undefined && o.sslInsecure !== true
      ? true
      : {
          ...(ca !== undefined ? { ca } : {}),
          ...(cert !== undefined ? { cert } : {}),
          ...(key !== undefined ? { key } : {}),
          ...(o.sslInsecure === true ? { rejectUnauthorized: false } : {}),
        };
  const mechanism =
    o.saslMechanism ?? (env.KAFKA_SASL_MECHANISM as KafkaSasl['mechanism'] | undefined);
  const username = o.saslUsername ?? env.KAFKA_SASL_USERNAME;
  const password = o.saslPassword ?? env.KAFKA_SASL_PASSWORD;
  let sasl: KafkaSasl | undefined;
  if (mechanism !== undefined || username !== undefined || password !== undefined) {
    if (mechanism === undefined || !mechanisms.includes(mechanism)) {
      throw usageError(
        `--sasl-mechanism must be one of ${mechanisms.join(', ')}, got ${mechanism ?? 'none'}`,
        {
          option: '--sasl-mechanism',
        },
      );
    }
    if (username === undefined || password === undefined) {
      throw usageError(
        'SASL needs a username and a password (--sasl-username, KAFKA_SASL_PASSWORD)',
        { option: '--sasl-username' },
      );
    }
    sasl = { mechanism, username, password };
  }
  return {
    brokers,
    clientId: 'tributary-cli',
    logLevel: o.verbose === true ? 'info' : 'nothing',
    ...(o.client !== undefined ? { client: o.client } : {}),
    ...(ssl !== undefined ? { ssl } : {}),
    ...(sasl !== undefined ? { sasl } : {}),
  };
}

/** Opens the bus the options name: `--dev <dir>` (or TRIBUTARY_DEV_DIR), else Kafka. */
export async function connect(o: GlobalOptions, env: CliIo['env']): Promise<Connection> {
  const dev = o.dev ?? (o.brokers === undefined ? env.TRIBUTARY_DEV_DIR : undefined);
  if (dev !== undefined && o.brokers !== undefined) {
    throw usageError('--dev and --brokers exclude each other: pick one bus');
  }
  if (dev !== undefined && dev !== '') {
    const bus = await devBus(dev);
    return {
      kind: 'dev',
      bus,
      modelStore: (topic) =>
        fileModelStore(join(dev, 'models', `${encodeURIComponent(topic)}.json`)),
      refresh: () => bus.refresh(),
      save: () => bus.save(),
      close: () => bus.close(),
    };
  }
  if ((o.brokers ?? env.KAFKA_BROKERS ?? '') === '') {
    throw cliErrorNoBus();
  }
  const bus: KafkaBus = kafkaBus(await kafkaOptionsFrom(o, env));
  return {
    kind: 'kafka',
    bus,
    modelStore: (topic) =>
      kafkaModelStore(bus, {
        topic,
        logger: o.verbose === true ? consoleLogger('warn') : silentLogger,
      }),
    refresh: async () => 0,
    save: async () => {},
    close: () => bus.close(),
  };
}

function cliErrorNoBus() {
  return cliError(
    'CLI_NO_BUS',
    'no bus: give --brokers <host:port,...> (or set KAFKA_BROKERS) for Kafka, or --dev <dir> for the file-backed memory bus',
  );
}
