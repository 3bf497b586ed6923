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
 */
export function durableOnKafka(
  bus: KafkaBus,
  store: ModelStore,
  topics: FraudTopics,
): { readonly pending: 'state'; readonly run: RunOptions } {
  return {
    pending: 'state',
    run: {
      state: kafkaStateStore(bus, { topic: topics.state }),
      checkpoint: { store, name: CHECKPOINT_NAME },
    },
  };
}
