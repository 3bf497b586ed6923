import type { RunOptions } from '@tributary/core';
import { type KafkaBus, kafkaStateStore } from '@tributary/kafka';
import type { ModelStore } from '@tributary/learn';
import type { FraudTopics } from './schema.js';

/** Name of the flow's checkpoints in the model store (beside the published classifier). */
export const CHECKPOINT_NAME = 'fraud-detection-checkpoint';

/**
 * Record size a bus needs for the flow's checkpoints (`producer.maxMessageBytes` of kafkaBus,
 * which kafkaModelStore also gives its topic): 8 MiB. The snapshot is bounded however long the
 * run: about 3.7 MB once the label join holds its full windows, of which 3.4 MB are its three
 * `rolling(…, RECENT)` metrics (each keeps the last 20,000 labelled scores), 0.25 MB its
 * whole-run metrics (scores rounded, at most 10,001 slots each) and 0.1 MB the anomaly trees.
 */
export const CHECKPOINT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * What makes the fraud flow survive a crash or a rebalance on Kafka: transactions wait for their
 * chargebacks in keyed state (`pending: 'state'`), made durable by a kafkaStateStore changelog
 * on `topics.state`, and every offset commit checkpoints the stages' state (the label join's
 * trainer and metrics, the scalers, the anomaly trees) to the model store, so a restarted
 * worker resumes from a state no older than its committed offsets. Spread into runFraud's
 * options (or fraudFlow's and run's). The bus needs records of {@link CHECKPOINT_MAX_BYTES}
 * (`checkpoint: false` leaves the checkpoints out, and then the default record size will do).
 */
export function durableOnKafka(
  bus: KafkaBus,
  store: ModelStore,
  topics: FraudTopics,
  options: { readonly checkpoint?: boolean } = {},
): { readonly pending: 'state'; readonly run: RunOptions } {
  return {
    pending: 'state',
    run: {
      state: kafkaStateStore(bus, { topic: topics.state }),
      ...(options.checkpoint === false ? {} : { checkpoint: { store, name: CHECKPOINT_NAME } }),
    },
  };
}
