import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage, sleep } from '@tributary/core';
import { Kafka, logLevel } from 'kafkajs';
import type { TestProject } from 'vitest/node';
import { confluentMissing, onCI } from './clients.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PLAINTEXT bootstrap brokers. */
    kafkaBrokers: string;
    /** SASL_PLAINTEXT bootstrap brokers of the local broker (SCRAM-SHA-256 and PLAIN). */
    kafkaSaslBrokers: string;
    /** True when the broker is the one scripts/kafka/kafka runs (so tests may restart it). */
    kafkaManaged: boolean;
    /** SSL bootstrap brokers of the local broker; '' when the broker is not managed. */
    kafkaSslBrokers: string;
    /** PEM file of the CA that signed the local broker's certificate; '' when not managed. */
    kafkaCaPath: string;
  }
}

const script = fileURLToPath(new URL('../../../scripts/kafka/kafka', import.meta.url));
// Where the script keeps jars, data and the TLS material (KAFKA_HOME_DIR moves it).
const home =
  process.env.KAFKA_HOME_DIR || fileURLToPath(new URL('../../../.kafka', import.meta.url));

function running(): boolean {
  try {
    execFileSync(script, ['status'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until the broker serves consumer groups. One formatted a moment ago is still creating
 * __consumer_offsets and answers the first group and metadata requests with retriable errors
 * (NOT_COORDINATOR, UNKNOWN_TOPIC_OR_PARTITION): that failed the first tests of a clean clone.
 */
async function groupsReady(brokers: string): Promise<void> {
  const kafka = new Kafka({
    brokers: brokers.split(','),
    clientId: 'setup',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const topic = 'tributary-test-setup';
  const until = Date.now() + 120_000;
  await admin.connect();
  try {
    for (;;) {
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
        await admin.fetchOffsets({ groupId: topic, topics: [topic] });
        return;
      } catch (error) {
        if (Date.now() > until) {
          throw new Error(`broker ${brokers} serves no consumer groups: ${errorMessage(error)}`, {
            cause: error,
          });
        }
        await sleep(500);
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Starts the local broker unless KAFKA_BROKERS points at one; reused across test files.
 * A broker this setup started is stopped afterwards; one already running is left running.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const missing = await confluentMissing();
  if (missing !== undefined) {
    // CI runs the whole suite; elsewhere the Confluent half is left out (see ./clients.ts).
    if (onCI) throw new Error(`CI needs the Confluent client suite: ${missing.message}`);
    console.warn(
      `\nConfluent client suite left out: ${errorMessage(missing.cause)}\n` +
        '(npm test ends with how to install it)\n',
    );
  }
  const external = process.env.KAFKA_BROKERS;
  let started = false;
  if (external === undefined || external === '') {
    started = !running();
    execFileSync(script, ['start'], { stdio: 'inherit', timeout: 300_000 });
  }
  const brokers = external || `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`;
  await groupsReady(brokers);
  project.provide('kafkaBrokers', brokers);
  project.provide(
    'kafkaSaslBrokers',
    process.env.KAFKA_SASL_BROKERS ?? `127.0.0.1:${process.env.KAFKA_SASL_PORT ?? '9094'}`,
  );
  const managed = external === undefined || external === '';
  project.provide('kafkaManaged', managed);
  // The script makes the certificate and its CA on start; only its own broker has them.
  project.provide(
    'kafkaSslBrokers',
    managed ? `127.0.0.1:${process.env.KAFKA_SSL_PORT || '9095'}` : '',
  );
  project.provide('kafkaCaPath', managed ? join(home, 'tls', 'ca.pem') : '');
  return started
    ? () => execFileSync(script, ['stop'], { stdio: 'inherit', timeout: 120_000 })
    : undefined;
}
