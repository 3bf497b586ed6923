import { pipeline, run, silentLogger } from '@tributary/core';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clients } from '../test/clients.js';
import { names } from '../test/helpers.js';
import { type KafkaBus, kafkaBus } from './kafkaBus.js';

const brokers = inject('kafkaBrokers');

/**
 * Writes `committed` records in one committed transaction, then `aborted` in an aborted one:
 * each partition then ends with records a read_committed reader never gets and two markers.
 */
async function writeTransactions(topic: string, committed: number, aborted: number) {
  const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({
    transactionalId: `${topic}-writer`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const batch = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      key: `k${(from + i) % 9}`,
      value: JSON.stringify({ id: from + i }),
    }));
  try {
    const ok = await producer.transaction();
    await ok.send({ topic, messages: batch(0, committed) });
    await ok.commit();
    const ko = await producer.transaction();
    await ko.send({ topic, messages: batch(committed, aborted) });
    await ko.abort();
  } finally {
    await producer.disconnect();
  }
}

describe.each(clients)('stopAtEnd on a topic written in transactions (%s)', (client) => {
  let bus: KafkaBus;
  beforeAll(() => {
    bus = kafkaBus({ brokers, client, clientId: `sae-${client}`, logLevel: 'nothing' });
  });
  afterAll(async () => {
    const mine = (await bus.admin.listTopics()).filter((t) => t.includes(`sae-${client}-`));
    if (mine.length > 0) await bus.admin.deleteTopics(mine);
    await bus.close();
  });

  const readAll = async (topic: string, group: string, from = bus) => {
    const ids: number[] = [];
    const p = pipeline(from.source({ topic, group, stopAtEnd: true })).to({
      name: 'ids',
      async write(records) {
        for (const r of records)
          ids.push(
            (JSON.parse(Buffer.from(r.value as Uint8Array).toString()) as { id: number }).id,
          );
      },
    });
    const summary = await run(p, { logger: silentLogger }).done;
    return { ids, summary };
  };

  it('ends after the last committed record, skipping aborted ones and the markers', async () => {
    const n = names(`sae-${client}`);
    await bus.admin.ensureTopics([{ topic: n.input, partitions: 3 }]);
    await writeTransactions(n.input, 300, 60);
    // Every partition's end offset is past records the reader never gets.
    const ends = await bus.admin.offsets(n.input, 'latest');
    expect(ends.reduce((s, e) => s + e.offset, 0)).toBeGreaterThan(360);

    const first = await readAll(n.input, n.group);
    expect(first.summary.recordsDone).toBe(300);
    expect(new Set(first.ids)).toEqual(new Set(Array.from({ length: 300 }, (_, i) => i)));

    // Its committed positions stop before the markers: a second run has nothing left and ends.
    const again = await readAll(n.input, n.group);
    expect(again.summary.recordsDone).toBe(0);
    expect(again.ids).toEqual([]);
  }, 60_000);

  it('a topic holding only an aborted transaction has nothing to read and ends at once', async () => {
    const n = names(`sae-${client}`);
    await bus.admin.ensureTopics([{ topic: n.input, partitions: 2 }]);
    await writeTransactions(n.input, 0, 40);
    const { summary } = await readAll(n.input, n.group);
    expect(summary.recordsDone).toBe(0);
  }, 60_000);

  it('read uncommitted: the aborted records are read too, and the run still ends', async () => {
    const n = names(`sae-${client}`);
    await bus.admin.ensureTopics([{ topic: n.input, partitions: 3 }]);
    await writeTransactions(n.input, 200, 50);
    const dirty = kafkaBus({
      brokers,
      client,
      clientId: `sae-${client}-dirty`,
      logLevel: 'nothing',
      consumer: { readCommitted: false },
    });
    try {
      const { ids, summary } = await readAll(n.input, n.group, dirty);
      expect(summary.recordsDone).toBe(250);
      expect(new Set(ids).size).toBe(250);
    } finally {
      await dirty.close();
    }
  }, 60_000);
});
