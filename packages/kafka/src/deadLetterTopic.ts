import { invalidOption, type Sink } from '@tributary/core';
import { busContext, type KafkaBus } from './kafkaBus.js';

/** Options of {@link deadLetterTopic}. */
export interface DeadLetterTopicOptions {
  /** Partitions of the topic when it is created. Default 1. */
  readonly partitions?: number;
  /** Default -1 (the broker's default). */
  readonly replicationFactor?: number;
}

/**
 * A sink for `deadLetter(...)`: writes failed records, with their original key and
 * bytes and the `tributary.error.*` headers, to `topic`, creating it on open so no
 * dead letter waits on topic auto-creation.
 */
export function deadLetterTopic(
  bus: KafkaBus,
  topic: string,
  options: DeadLetterTopicOptions = {},
): Sink<unknown> {
  if (typeof topic !== 'string' || topic.length === 0)
    throw invalidOption('topic', 'a topic name', topic);
  const sink = bus.sink<unknown>({ topic });
  return {
    name: `dead-letter:${topic}`,
    async open() {
      await bus.admin.ensureTopics([
        {
          topic,
          partitions: options.partitions ?? 1,
          replicationFactor: options.replicationFactor ?? -1,
        },
      ]);
      await busContext(bus).producer();
    },
    write: sink.write,
  };
}
