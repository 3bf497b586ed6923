import {
  globalTableJoin,
  jsonSerde,
  pipeline,
  run,
  silentLogger,
  type TableJoined,
  tableJoin,
} from '@tributary/core';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { clients } from '../test/clients.js';
import { collector, eventually, json, names, suiteBus, writeRecords } from '../test/helpers.js';
import { kafkaBus } from './kafkaBus.js';
import { kafkaStateStore } from './kafkaStateStore.js';

const brokers = inject('kafkaBrokers');

interface Pay {
  card: string;
  amount: number;
}
interface Card {
  tier: string;
}

describe.each(clients)('tableJoin on a real broker (%s)', (client) => {
  const bus = suiteBus(brokers, client, 'join');

  it('restores the table from the changelog after a restart and joins the stream with it', async () => {
    const n = names(`join-${client}`);
    const table = `${n.id}-cards`;
    await bus().admin.ensureTopics([
      { topic: n.input, partitions: 3 },
      { topic: table, partitions: 3, config: { 'cleanup.policy': 'compact' } },
      { topic: n.output, partitions: 3 },
    ]);
    const cards = Array.from({ length: 6 }, (_, i) => ({ key: `c${i}`, value: { tier: `t${i}` } }));
    await writeRecords(bus(), table, [...cards, { key: 'c5', value: null }]);

    const runMember = async () => {
      const member = kafkaBus({ brokers, client, logLevel: 'nothing' });
      const state = kafkaStateStore(member, { topic: n.state });
      const source = member.source({ topic: [n.input, table], group: n.group, stopAtEnd: true });
      const join = tableJoin({ table, stream: jsonSerde<Pay>(), rows: jsonSerde<Card>() });
      await run(
        pipeline(source)
          .pipe(join)
          .to(member.sink({ topic: n.output })),
        {
          logger: silentLogger,
          state,
        },
      ).done;
      await member.close();
    };
    await runMember(); // reads the table: its offsets are committed, its rows are in the changelog
    const pays = Array.from({ length: 12 }, (_, i) => ({
      key: `c${i % 6}`,
      value: { card: `c${i % 6}`, amount: i },
    }));
    await writeRecords(bus(), n.input, pays);
    await runMember(); // a new member: no table record is read again, the rows come from the changelog

    const out = await collector(brokers, n.output);
    await eventually('10 joined', () => out.records.length >= 10);
    await out.stop();
    const joined = json<TableJoined<Pay, Card>>(out.records)
      .map((j) => `${j.value.amount} ${j.row.tier}`)
      .sort();
    // c5's row was deleted by its tombstone, so its two payments have no match.
    const expected = pays
      .filter((p) => p.key !== 'c5')
      .map((p) => `${p.value.amount} t${p.key.slice(1)}`)
      .sort();
    expect(joined).toEqual(expected);
  });

  it('global: each worker reads the whole table, so a stream of another partition count joins', async () => {
    const n = names(`gjoin-${client}`);
    const table = `${n.id}-cards`;
    await bus().admin.ensureTopics([
      { topic: n.input, partitions: 3 },
      { topic: table, partitions: 2, config: { 'cleanup.policy': 'compact' } },
      { topic: n.output, partitions: 3 },
    ]);
    await writeRecords(bus(), table, [
      ...Array.from({ length: 6 }, (_, i) => ({ key: `c${i}`, value: { tier: `t${i}` } })),
      { key: 'c5', value: null },
    ]);
    const pays = Array.from({ length: 6 }, (_, i) => ({
      key: `c${i}`,
      value: { card: `c${i}`, amount: i },
    }));
    await writeRecords(bus(), n.input, pays);
    const member = kafkaBus({ brokers, client, logLevel: 'nothing' });
    const source = member.source({
      topic: n.input,
      group: n.group,
      serde: jsonSerde<Pay>(),
      stopAtEnd: true,
    });
    const join = globalTableJoin<Pay, Card>({
      bus: member,
      table,
      rows: jsonSerde<Card>(),
      kind: 'left',
    });
    await run(
      pipeline(source)
        .pipe(join)
        .to(member.sink({ topic: n.output })),
      { logger: silentLogger },
    ).done;
    await member.close();
    const out = await collector(brokers, n.output);
    await eventually('6 joined', () => out.records.length >= 6);
    await out.stop();
    const joined = json<TableJoined<Pay, Card | undefined>>(out.records)
      .map((j) => `${j.value.amount} ${j.row?.tier ?? '-'}`)
      .sort();
    expect(joined).toEqual(['0 t0', '1 t1', '2 t2', '3 t3', '4 t4', '5 -']);
  });

  it('global: a table written in transactions (one committed, one aborted) is read to its end and joined', async () => {
    const n = names(`gjoin-txn-${client}`);
    const table = `${n.id}-cards`;
    await bus().admin.ensureTopics([{ topic: table, partitions: 1 }]);
    const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer({
      transactionalId: `txn-${n.id}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const row = (key: string, tier: string) => ({ key, value: JSON.stringify({ tier }) });
    const ok = await producer.transaction();
    await ok.send({ topic: table, messages: [row('c0', 'gold'), row('c1', 'blue')] });
    await ok.commit();
    const ko = await producer.transaction();
    await ko.send({ topic: table, messages: [row('c1', 'never'), row('c2', 'never')] });
    await ko.abort();
    await producer.disconnect();
    // Records at 0 and 1, the commit marker at 2, aborted records at 3 and 4, the abort marker
    // at 5: the end offset is 6 and no record a read-committed reader gets is past offset 1.
    expect(await bus().admin.offsets(table, 'latest')).toEqual([
      { topic: table, partition: 0, offset: 6 },
    ]);
    const join = globalTableJoin<Pay, Card>({
      bus: bus(),
      table,
      rows: jsonSerde<Card>(),
      kind: 'left',
      catchUpTimeoutMs: 30_000,
    });
    const ctx = { stage: 'join', log: silentLogger } as never;
    await join.open?.(ctx);
    try {
      const tiers = ['c0', 'c1', 'c2'].map((card) => {
        const joined = join.process({ card, amount: 1 }, {
          ...(ctx as object),
          key: card,
        } as never);
        return (joined as TableJoined<Pay, Card | undefined>).row?.tier ?? '-';
      });
      expect(tiers).toEqual(['gold', 'blue', '-']);
    } finally {
      await join.close?.();
    }
  });
});
