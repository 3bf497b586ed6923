import type { RunOptions } from '@tributary/core';
import { type KafkaBus, kafkaStateStore } from '@tributary/kafka';
import type { ModelStore } from '@tributary/learn';
import type { FraudTopics } from './schema.js';

/** Name of the flow's checkpoints in the model store (beside the published classifier). */
export const CHECKPOINT_NAME = 'fraud-detection-checkpoint';

/**
 * What makes the fraud flow survive a crash or a rebalance on Kafka: transactions wait for their
 * chargebacks in keyed state (`pending: 'state'`), made durable by a kafkaStateStore changelog
 * on `topics.state`, and every offset commit checkpoints the stages' state (the label join's
 * trainer and metrics, the scalers, the anomaly trees) to the model store, so a restarted
 * worker resumes from a state no older than its committed offsets. Spread into runFraud's
 * options (or fraudFlow's and run's).
 *
 * `checkpoint: false` leaves the checkpoints out (the demo's default): the label join's
 * whole-run metrics keep every labelled score, so its snapshot grows by about 220 bytes per
 * label and passes Kafka's 1 MB record limit after some 5,000 labels, when kafkaModelStore
 * refuses the save and the run holds its offset commits back.
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
