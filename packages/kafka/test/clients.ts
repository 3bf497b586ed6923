import type { TributaryError } from '@tributary/core';
import { loadConfluent } from '../src/internal/confluentAdapter.js';

/** The clients a bus can run on. */
export type Client = 'kafkajs' | 'confluent' | 'confluent-native';

/** True on CI (CI set and not 'false' or '0'), where no part of the suite may be left out. */
export const onCI = !['', 'false', '0'].includes(process.env.CI ?? '');

/** Why the optional Confluent client cannot be used here, or undefined when it loads. */
export async function confluentMissing(): Promise<TributaryError | undefined> {
  return loadConfluent().then(
    () => undefined,
    (error: unknown) => error as TributaryError,
  );
}

/**
 * The clients the integration suite runs on: kafkajs and both engines of the optional
 * Confluent package (its KafkaJS-compatible API and its librdkafka-level one), or kafkajs alone
 * when that package does not load outside CI (globalSetup says so; `npm test` ends with the
 * notice from scripts/confluent-notice.mjs). On CI all three always, so a missing client fails.
 */
export const clients: readonly Client[] =
  onCI || (await confluentMissing()) === undefined
    ? ['kafkajs', 'confluent', 'confluent-native']
    : ['kafkajs'];

/** Whether the Confluent client is in this run (it is also the read_committed witness). */
export const withConfluent = clients.includes('confluent');
