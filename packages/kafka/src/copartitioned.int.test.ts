import {
  jsonSerde,
  pipeline,
  type RunHandle,
  type RuntimeEvent,
  run,
  type Sink,
  silentLogger,
  type TableJoined,
  tableJoin,
} from '@tributary/core';
import { type IntervalJoined, intervalJoin } from '@tributary/features';
import { describe, expect, inject, it } from 'vitest';
import { type Client, clients } from '../test/clients.js';
import {
  collector,
  copartitionedTopics,
  eventually,
  json,
  names,
  suiteBus,
  writeRecords,
} from '../test/helpers.js';
import { type KafkaBus, kafkaBus } from './kafkaBus.js';
import { kafkaStateStore } from './kafkaStateStore.js';

const brokers = inject('kafkaBrokers');

interface Pay {
  card: string;
  amount: number;
}
interface Card {
  tier: string;
}
interface Quote {
  id: string;
  at: number;
}
interface Outcome {
  won: boolean;
  at: number;
}
const MIN = 60_000;

/** One live member of a group: its run and the partitions it owns now, as `topic:partition`. */
interface Member {
  readonly bus: KafkaBus;
  readonly handle: RunHandle;
  readonly owned: Set<string>;
}

function tracking(owned: Set<string>): (event: RuntimeEvent) => void {
  return (event) => {
    if (event.type === 'assigned')
      for (const tp of event.partitions) owned.add(`${tp.topic}:${tp.partition}`);
    if (event.type === 'revoked')
      for (const tp of event.partitions) owned.delete(`${tp.topic}:${tp.partition}`);
  };
}

/** Partition numbers of `topic` among `owned`, in order. */
function numbers(owned: ReadonlySet<string>, topic: string): number[] {
  return [...owned]
    .filter((k) => k.startsWith(`${topic}:`))
    .map((k) => Number(k.slice(topic.length + 1)))
    .sort((a, b) => a - b);
}

/** Both members own something and together every partition once: the rebalance is over. */
function settled(members: readonly Member[], total: number): boolean {
  const all = members.flatMap((m) => [...m.owned]);
  return (
    members.every((m) => m.owned.size > 0) && new Set(all).size === total && all.length === total
  );
}

/**
 * Starts two members of one group, one after the other (so the second one's join is a
 * rebalance of a running group), and resolves once they share the 6 partitions of two topics.
 */
async function startMembers(
  client: Client,
  start: (bus: KafkaBus, onEvent: (event: RuntimeEvent) => void) => RunHandle,
): Promise<Member[]> {
  const members: Member[] = [];
  for (let i = 0; i < 2; i++) {
    const bus = kafkaBus({ brokers, client, logLevel: 'nothing' });
    const owned = new Set<string>();
    members.push({ bus, handle: start(bus, tracking(owned)), owned });
    await eventually(`member ${i} assigned`, () => owned.size > 0);
  }
  await eventually('the rebalance', () => settled(members, 6));
  return members;
}

async function stopMembers(members: readonly Member[]): Promise<void> {
  for (const m of members) {
    await m.handle.stop();
    await m.bus.close();
  }
}

const noSink: Sink = { name: 'none', write: async () => {} };

describe.each(clients)('a source of several topics assigns co-partitioned (%s)', (client) => {
  const bus = suiteBus(brokers, client, 'copart');

  it('two members in one group own the same partition numbers of both topics', async () => {
    const n = names(`copart-${client}`);
    const other = `${n.id}-b`;
    await copartitionedTopics(bus(), [n.input, other]);
    const members = await startMembers(client, (member, onEvent) =>
      run(pipeline(member.source({ topic: [n.input, other], group: n.group })).to(noSink), {
        logger: silentLogger,
        onEvent,
      }),
    );
    for (const m of members) expect(numbers(m.owned, other)).toEqual(numbers(m.owned, n.input));
    expect(members.map((m) => numbers(m.owned, n.input).length).sort()).toEqual([1, 2]);
    await stopMembers(members);
  });

  it('tableJoin with two live members finds the row of every stream record', async () => {
    const n = names(`copjoin-${client}`);
    const table = `${n.id}-cards`;
    await bus().admin.ensureTopics([
      { topic: n.input, partitions: 3 },
      { topic: table, partitions: 3, config: { 'cleanup.policy': 'compact' } },
      { topic: n.output, partitions: 3 },
    ]);
    const members = await startMembers(client, (member, onEvent) => {
      const source = member.source({ topic: [n.input, table], group: n.group });
      const join = tableJoin({
        table,
        stream: jsonSerde<Pay>(),
        rows: jsonSerde<Card>(),
        kind: 'left',
      });
      return run(
        pipeline(source)
          .pipe(join)
          .to(member.sink({ topic: n.output })),
        { logger: silentLogger, state: kafkaStateStore(member, { topic: n.state }), onEvent },
      );
    });
    const done = () => members.reduce((sum, m) => sum + m.handle.metrics().recordsDone, 0);

    // Enough keys that every partition of both topics has some.
    const cards = Array.from({ length: 30 }, (_, i) => ({
      key: `c${i}`,
      value: { tier: `t${i}` },
    }));
    await writeRecords(bus(), table, cards);
    await eventually('the table read', () => done() >= cards.length);
    const pays = cards.map((c, i) => ({ key: c.key, value: { card: c.key, amount: i } }));
    await writeRecords(bus(), n.input, pays);
    await eventually('the stream read', () => done() >= cards.length + pays.length);
    // Both members took part.
    for (const m of members) expect(m.handle.metrics().recordsDone).toBeGreaterThan(0);
    await stopMembers(members);

    const out = await collector(brokers, n.output);
    await eventually(`${pays.length} joined`, () => out.records.length >= pays.length);
    await out.stop();
    const joined = json<TableJoined<Pay, Card | undefined>>(out.records)
      .map((j) => `${j.value.amount} ${j.row?.tier ?? 'unmatched'}`)
      .sort();
    expect(joined).toEqual(pays.map((p, i) => `${p.value.amount} t${i}`).sort());
  });

  it('intervalJoin with two live members pairs every quote with its outcome', async () => {
    const n = names(`copijoin-${client}`);
    const quotes = `${n.id}-quotes`;
    const outcomes = `${n.id}-outcomes`;
    await copartitionedTopics(bus(), [quotes, outcomes, n.output]);
    const members = await startMembers(client, (member, onEvent) => {
      const source = member.source({ topic: [quotes, outcomes], group: n.group });
      const join = intervalJoin({
        left: { topic: quotes, values: jsonSerde<Quote>(), eventTime: (q) => q.at },
        right: { topic: outcomes, values: jsonSerde<Outcome>(), eventTime: (o) => o.at },
        withinMs: 10 * MIN,
        allowedLatenessMs: 10 * MIN,
      });
      return run(
        pipeline(source)
          .pipe(join)
          .to(member.sink({ topic: n.output })),
        { logger: silentLogger, state: kafkaStateStore(member, { topic: n.state }), onEvent },
      );
    });
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    await writeRecords(
      bus(),
      quotes,
      keys.map((key, i) => ({ key, value: { id: `q${i}`, at: i * MIN } })),
    );
    await writeRecords(
      bus(),
      outcomes,
      keys.map((key, i) => ({ key, value: { won: i % 2 === 0, at: i * MIN + MIN } })),
    );
    const done = () => members.reduce((sum, m) => sum + m.handle.metrics().recordsDone, 0);
    await eventually('both topics read', () => done() >= 2 * keys.length);
    await stopMembers(members);

    const out = await collector(brokers, n.output);
    await eventually(`${keys.length} pairs`, () => out.records.length >= keys.length);
    await out.stop();
    const pairs = json<IntervalJoined<Quote, Outcome>>(out.records)
      .map((j) => `${j.left.id} ${j.right.won}`)
      .sort();
    expect(pairs).toEqual(keys.map((_, i) => `q${i} ${i % 2 === 0}`).sort());
  });
});
