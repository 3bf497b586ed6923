/**
 * Kafka bus for Tributary pipelines over kafkajs or the Confluent client.
 *
 * @packageDocumentation
 * @module @tributary/kafka
 */
export type { DeadLetterTopicOptions } from './deadLetterTopic.js';
export { deadLetterTopic } from './deadLetterTopic.js';
export type { KafkaClientKind } from './internal/adapter.js';
export type { KafkaErrorCode } from './internal/kafkaError.js';
export type { KafkaBus } from './kafkaBus.js';
export { kafkaBus } from './kafkaBus.js';
export type {
  KafkaBusOptions,
  KafkaConsumerOptions,
  KafkaExactlyOnceOptions,
  KafkaProducerOptions,
  KafkaProfile,
  KafkaSasl,
  KafkaSsl,
} from './kafkaBusOptions.js';
export type { KafkaModelStore, KafkaModelStoreOptions } from './kafkaModelStore.js';
export { kafkaModelStore } from './kafkaModelStore.js';
export type { KafkaRunProfile } from './kafkaRunProfile.js';
export { kafkaRunProfile } from './kafkaRunProfile.js';
export type { KafkaStateStoreOptions } from './kafkaStateStore.js';
export { kafkaStateStore } from './kafkaStateStore.js';
