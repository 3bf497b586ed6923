import { randomUUID } from 'node:crypto';
import { silentLogger } from '@tributary/core';
import { kafkaBus, kafkaModelStore } from '@tributary/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { collector, eventually } from '../../../packages/kafka/test/helpers.js';
import { outputSerde, runFraud } from './flow.js';
import { generateTransactions } from './generator.js';
import { durableOnKafka } from './kafkaDurable.js';
import { lineageFromHeaders } from './lineage.js';
import type { PredictionRecord } from './predictionRecord.js';
import { fraudTopics, Transaction } from './schema.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
  }
}

const brokers = inject('kafkaBrokers');

describe.each(['kafkajs', 'confluent'] as const)('fraud flow on Kafka (%s)', (client) => {
  it('scores every transaction with lineage and commits every input offset', async () => {
    const topics = fraudTopics(`${client}-${randomUUID().slice(0, 8)}`);
    const group = `fraud-${randomUUID().slice(0, 8)}`;
    const bus = kafkaBus({ brokers: brokers.split(','), client, clientId: 'fraud-int' });
    const replay = generateTransactions({ transactions: 3000, cards: 100, days: 2, seed: 5 });
    await bus.admin.ensureTopics(
      [topics.transactions, topics.chargebacks, topics.predictions, topics.quarantine].map(
        (topic) => ({ topic, partitions: 3 }),
      ),
    );
    const store = kafkaModelStore(bus, { topic: topics.models });
    // As the example runs on Kafka: waiting transactions in keyed state, checkpoints.
    const durable = durableOnKafka(bus, store, topics);
    try {
      const result = await runFraud({
        ...durable,
        bus,
        topics,
        store,
        replay,
        group,
        mode: 'cards',
        pseudonymKey: 'integration-test-pseudonym-key!!',
        publishEvery: 500,
        run: { ...durable.run, logger: silentLogger },
      });
      expect(result.summary.recordsDone).toBe(replay.records.length);
      expect(result.predictions).toBe(replay.transactions);
      expect(result.modelVersionsPublished).toBeGreaterThan(1);

      // An independent kafkajs consumer reads what the flow wrote.
      const predictions = await collector(brokers, topics.predictions);
      const inputs = await collector(brokers, topics.transactions);
      const quarantine = await collector(brokers, topics.quarantine);
      await eventually(
        'every prediction and input record',
        () =>
          predictions.records.length >= replay.transactions &&
          inputs.records.length >= replay.transactions + replay.invalid &&
          quarantine.records.length >= replay.invalid,
      );
      await Promise.all([predictions.stop(), inputs.stop(), quarantine.stop()]);
      expect(predictions.records).toHaveLength(replay.transactions);
      expect(quarantine.records).toHaveLength(replay.invalid);
      const byPosition = new Map(inputs.records.map((r) => [`${r.partition}/${r.offset}`, r]));
      for (const r of predictions.records) {
        const p = outputSerde.deserialize(r.value as Buffer) as PredictionRecord;
        expect(lineageFromHeaders(r.headers)).toEqual(p.lineage);
        const source = byPosition.get(`${p.lineage.partition}/${p.lineage.offset}`);
        expect(p.lineage.topic).toBe(topics.transactions);
        const tx = Transaction.parse(JSON.parse(String(source?.value)));
        expect(tx.id).toBe(p.transactionId);
        expect(p.lineage.eventTime).toBe(tx.time);
      }
      const versions = new Set(
        predictions.records.map(
          (r) =>
            (outputSerde.deserialize(r.value as Buffer) as PredictionRecord).lineage.modelVersion,
        ),
      );
      expect(versions.size).toBeGreaterThan(1); // served versions were swapped while running

      // Committed offsets are the end of both input topics.
      const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        for (const topic of [topics.transactions, topics.chargebacks]) {
          const ends = await admin.fetchTopicOffsets(topic);
          const committed = await bus.admin.committed(group, topic);
          expect(committed.map((c) => [c.partition, c.offset])).toEqual(
            ends
              .filter((e) => Number(e.high) > 0)
              .map((e) => [e.partition, Number(e.high)])
              .sort((a, b) => (a[0] as number) - (b[0] as number)),
          );
        }
      } finally {
        await admin.disconnect();
      }
    } finally {
      await store.close?.();
      await bus.close();
    }
  });
});
