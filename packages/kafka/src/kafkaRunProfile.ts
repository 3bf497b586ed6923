import type { RunOptions } from '@tributary/core';
import type { KafkaProfile } from './kafkaBusOptions.js';

/** The runtime options of a profile, as {@link kafkaRunProfile} returns them. */
export type KafkaRunProfile = Required<
  Pick<RunOptions, 'batchSize' | 'lingerMs' | 'maxInFlight' | 'commitIntervalMs'>
>;

const RUN_PROFILES: Readonly<Record<KafkaProfile, KafkaRunProfile>> = {
  // A partial sink batch goes at once; commits are asynchronous, so their cadence does not
  // hold records back.
  latency: { batchSize: 500, lingerMs: 0, maxInFlight: 2000, commitIntervalMs: 1000 },
  // Larger sink writes and more records in flight, for fewer, fuller produce calls.
  throughput: { batchSize: 2000, lingerMs: 5, maxInFlight: 10_000, commitIntervalMs: 1000 },
};

/**
 * The runtime's side of a Kafka profile (sink batch size and linger, records in flight, commit
 * cadence), to spread into `run(pipeline, { ...kafkaRunProfile('latency'), ... })` next to
 * `kafkaBus({ profile: 'latency' })`.
 */
export function kafkaRunProfile(profile: KafkaProfile): KafkaRunProfile {
  const options = RUN_PROFILES[profile];
  if (options === undefined) throw new TypeError(`unknown Kafka profile ${String(profile)}`);
  return { ...options };
}
