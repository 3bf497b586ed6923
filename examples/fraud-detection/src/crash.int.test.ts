import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type OutRecord, sleep } from '@tributary/core';
import { kafkaBus, kafkaModelStore } from '@tributary/kafka';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Client } from '../../../packages/kafka/test/clients.js';
import {
  collector,
  eventually,
  killWorker,
  spawnWorker,
  stopWorker,
} from '../../../packages/kafka/test/helpers.js';
import { generateTransactions } from './generator.js';
import { CHECKPOINT_NAME } from './kafkaDurable.js';
import type { PredictionRecord } from './predictionRecord.js';
import type { ReplayRecord } from './replayRecord.js';
import { fraudTopics } from './schema.js';

const brokers = inject('kafkaBrokers');
const crashWorker = new URL('./crashWorker.ts', import.meta.url);

/** What crashWorker.ts prints: the label join's stats and the classifier's learnt records. */
interface WorkerStats {
  predictions: number;
  learned: number;
  labelsUnmatched: number;
  learnt: number;
}

const children: ChildProcess[] = [];
afterAll(async () => {
  await Promise.all(children.map(killWorker));
});

/** A partition of an input topic, as `topic:partition`. */
const tp = (p: { topic: string; partition: number }) => `${p.topic}:${p.partition}`;

/**
 * The broker side of both tests: the flow's topics (3 partitions) for `client`, a witness of
 * the predictions, worker processes (crashWorker.ts) in one group, and writers of the replay.
 */
async function scenario(client: Client, tag: string) {
  const suffix = `${tag}-${client}-${randomUUID().slice(0, 8)}`;
  const topics = fraudTopics(suffix);
  const group = `fraud-${suffix}`;
  const bus = kafkaBus({ brokers, client, clientId: 'fraud-crash', logLevel: 'nothing' });
  // Chargebacks 6 h to 30 h after their transaction (none late, none invalid): with the 48 h
  // TTL every one of them finds its transaction unless a waiting transaction was lost.
  const replay = generateTransactions({
    transactions: 2000,
    cards: 100,
    days: 2,
    seed: 7,
    fraudRate: 0.05,
    lateRate: 0,
    invalidRate: 0,
  });
  await bus.admin.ensureTopics(
    [
      topics.transactions,
      topics.chargebacks,
      topics.predictions,
      topics.alerts,
      topics.quarantine,
      topics.drift,
    ].map((topic) => ({ topic, partitions: 3 })),
  );
  const predictions = await collector(brokers, topics.predictions);
  /** Prediction records per transaction id so far. */
  const predictionValues = () =>
    predictions.records.map((r) => JSON.parse(String(r.value)) as PredictionRecord);
  const predicted = () => {
    const counts = new Map<string, number>();
    for (const p of predictionValues()) {
      counts.set(p.transactionId, (counts.get(p.transactionId) ?? 0) + 1);
    }
    return counts;
  };
  const worker = async (name: string) => {
    const child = await spawnWorker({ brokers, client, name, group, suffix }, crashWorker);
    children.push(child);
    const lines: string[] = [];
    child.stdout?.on('data', (d: Buffer) => lines.push(...d.toString().split('\n')));
    const last = (prefix: string) => {
      const line = lines.findLast((l) => l.startsWith(`${prefix} `));
      return line === undefined
        ? undefined
        : (JSON.parse(line.slice(prefix.length + 1)) as WorkerStats);
    };
    /** The input partitions the worker owns now, from its `assigned` and `revoked` lines. */
    const owned = () => {
      const now = new Set<string>();
      for (const l of lines) {
        const [kind, json] = [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)];
        if (kind !== 'assigned' && kind !== 'revoked') continue;
        for (const p of JSON.parse(json) as { topic: string; partition: number }[]) {
          if (kind === 'assigned') now.add(tp(p));
          else now.delete(tp(p));
        }
      }
      return now;
    };
    return { child, lines, last, owned };
  };
  const serde = { serialize: (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8') };
  const sinks = {
    transactions: bus.sink({ topic: topics.transactions, serde }),
    chargebacks: bus.sink({ topic: topics.chargebacks, serde }),
  };
  const write = (stream: 'transactions' | 'chargebacks', records: readonly ReplayRecord[]) =>
    sinks[stream].write(
      records
        .filter((r) => r.stream === stream)
        .map(
          (r): OutRecord<unknown> => ({
            key: r.key,
            value: r.value,
            headers: {},
            timestamp: r.time,
          }),
        ),
    );
  const ids = (records: readonly ReplayRecord[]) =>
    records.filter((r) => r.stream === 'transactions').map((r) => (r.value as { id: string }).id);
  /** Everything written so far is committed on both input topics. */
  const allCommitted = async () => {
    for (const topic of [topics.transactions, topics.chargebacks]) {
      const committed = await bus.admin.committed(group, topic);
      const ends = await bus.admin.offsets(topic, 'latest');
      for (const e of ends) {
        const c = committed.find((o) => o.partition === e.partition)?.offset ?? 0;
        if (c < e.offset) return false;
      }
    }
    return true;
  };
  const settled = async (what: string) => {
    const until = Date.now() + 60_000;
    while (!(await allCommitted())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await sleep(200);
    }
  };
  /**
   * Writes waves in event-time order; a wave's chargebacks only once its transactions were
   * predicted (`fresh`: by a prediction record more than `before` held), as the two topics
   * are separate lanes of the source and a label read before its prediction finds nothing.
   */
  const waves = async (records: readonly ReplayRecord[], before = new Map<string, number>()) => {
    for (let i = 0; i < records.length; i += 100) {
      const wave = records.slice(i, i + 100);
      await write('transactions', wave);
      const mine = ids(wave);
      await eventually('the wave predicted', () => {
        const now = predicted();
        return mine.every((id) => (now.get(id) ?? 0) > (before.get(id) ?? 0));
      });
      await write('chargebacks', wave);
    }
  };
  /** Worker w1 alone through the first half of the replay, until it committed all of it. */
  const firstHalf = async () => {
    const records = replay.records;
    const half = Math.floor(records.length / 2);
    const first = await worker('w1');
    await waves(records.slice(0, half));
    await settled('w1 to commit the first half');
    return { records, half, first };
  };
  const store = kafkaModelStore(bus, { topic: topics.models });
  const close = async () => {
    await predictions.stop();
    await store.close?.();
    await bus.close();
  };
  /**
   * The prediction counts `waves` must exceed for a worker that takes over after a kill: one
   * fewer for each prediction of a record the group committed, as that record is not read
   * again (the prediction's lineage gives its offset).
   */
  const pastCommitted = async (before: ReadonlyMap<string, number>) => {
    const committed = new Map(
      (await bus.admin.committed(group, topics.transactions)).map((o) => [o.partition, o.offset]),
    );
    const counts = new Map(before);
    for (const p of predictionValues()) {
      if (p.lineage.offset < (committed.get(p.lineage.partition) ?? 0)) {
        counts.set(p.transactionId, (counts.get(p.transactionId) ?? 1) - 1);
      }
    }
    return counts;
  };
  return {
    pastCommitted,
    topics,
    group,
    replay,
    predictions,
    predicted,
    worker,
    write,
    ids,
    waves,
    settled,
    firstHalf,
    store,
    close,
  };
}

describe.each(['kafkajs', 'confluent', 'confluent-native'] as const)(
  'fraud flow killed on Kafka (%s)',
  (client) => {
    it('kill -9 mid-stream and restart: the classifier resumes from its checkpoint and no waiting transaction loses its chargeback', async () => {
      const sc = await scenario(client, 'crash');
      const { replay, predicted, worker, write, ids, waves, settled, firstHalf, store, close } = sc;
      try {
        const { records, half, first } = await firstHalf();
        await eventually('w1 stats after its last commit', () => first.last('stats') !== undefined);
        await sleep(500); // a commit (and its stats line) after the last records
        const atCommit = first.last('stats') as WorkerStats;
        // Mid-stream: a wave of transactions more, then SIGKILL while w1 is on it (at-least-once:
        // what it did not commit the next worker reads again).
        const tail = records.slice(half, half + 100);
        await write('transactions', tail);
        await sleep(150);
        await killWorker(first.child);
        const beforeKill = first.last('stats') as WorkerStats;
        await sleep(2000); // what w1 wrote before the kill reaches the witness
        const predictedBeforeKill = predicted();
        const checkpoint = await store.load(CHECKPOINT_NAME);
        expect(checkpoint).toBeDefined();

        const second = await worker('w2');
        await eventually('w2 restored', () => second.last('restored') !== undefined);
        const restored = second.last('restored') as WorkerStats;
        // w2 predicts the tail again before any of its chargebacks is written: the part of it
        // past w1's committed offsets (a commit may have landed between w1's predictions of
        // the tail and the kill).
        const again = await sc.pastCommitted(predictedBeforeKill);
        await waves(
          tail.filter((r) => r.stream === 'transactions'),
          again,
        );
        await write('chargebacks', tail);
        const rest = records.slice(half + 100);
        await waves(rest);
        await settled('w2 to commit everything');
        await stopWorker(second.child);
        const final = second.last('stats') as WorkerStats;

        // Chargebacks written after the kill whose transaction w1 predicted (and committed) before.
        const carried = [...tail, ...rest].filter(
          (r) =>
            r.stream === 'chargebacks' &&
            predictedBeforeKill.has((r.value as { transactionId: string }).transactionId),
        ).length;
        console.info(
          `fraud crash (${client}): ${records.length} records, w1 learnt ${atCommit.learnt} by its last commit before the kill (${beforeKill.learnt} at the kill), w2 restored ${restored.learnt} (predictions ${restored.predictions}, at the commit ${atCommit.predictions}), final ${final.learnt}; unmatched w1 ${beforeKill.labelsUnmatched} w2 ${final.labelsUnmatched}; ${carried} chargebacks after the kill of transactions predicted before it`,
        );
        // The classifier and the label join's counts went on from the checkpoint: at least what
        // w1 had by its last full commit, not from zero; from there both grew alike.
        expect(atCommit.learnt).toBeGreaterThan(0);
        expect(restored.learnt).toBeGreaterThanOrEqual(atCommit.learnt);
        // No chargeback was written between w1's last full commit and the kill, so it learnt
        // nothing more (its last stats line may be older than its last checkpoint: a commit
        // saves the checkpoint first and prints after).
        expect(restored.learnt).toBeLessThanOrEqual(beforeKill.learnt);
        expect(restored.learned).toBe(restored.learnt);
        expect(restored.predictions).toBeGreaterThanOrEqual(atCommit.predictions);
        expect(restored.predictions).toBeLessThanOrEqual(ids(records.slice(0, half + 100)).length);
        expect(final.learnt - restored.learnt).toBe(final.learned - restored.learned);
        // No transaction waiting when w1 died lost its chargeback.
        expect(carried).toBeGreaterThan(0);
        expect(beforeKill.labelsUnmatched).toBe(0);
        expect(final.labelsUnmatched).toBe(0);
        // Every transaction was scored, those of the tail twice at most.
        const counts = predicted();
        expect(counts.size).toBe(replay.transactions);
      } finally {
        await close();
      }
    });

    it('a partition that moves to a new worker takes its waiting transactions with it', async () => {
      const { topics, replay, predictions, predicted, worker, waves, settled, firstHalf, close } =
        await scenario(client, 'move');
      try {
        const { records, half, first } = await firstHalf();
        const partitionBeforeMove = new Map(
          predictions.records.map((r) => {
            const p = JSON.parse(String(r.value)) as PredictionRecord;
            return [p.transactionId, p.lineage.partition];
          }),
        );
        // A second member joins: the group moves some partitions of both input topics to it,
        // and with them (through the changelog) the transactions there that wait for a label.
        const second = await worker('w2');
        await eventually('w2 owns a chargebacks partition that w1 gave up', () => {
          const mine = [...second.owned()].filter((p) => p.startsWith(`${topics.chargebacks}:`));
          return mine.length > 0 && mine.every((p) => !first.owned().has(p));
        });
        const moved = new Set(second.owned());
        await waves(records.slice(half));
        await settled('both workers to commit everything');
        await Promise.all([stopWorker(first.child), stopWorker(second.child)]);
        const [a, b] = [first.last('stats'), second.last('stats')] as WorkerStats[];

        // Chargebacks after the move of transactions w1 predicted on a partition w2 took over (a
        // card's chargebacks share its payments' partition number; the lineage names the latter).
        const carried = records.slice(half).filter((r) => {
          if (r.stream !== 'chargebacks') return false;
          const p = partitionBeforeMove.get((r.value as { transactionId: string }).transactionId);
          return (
            p !== undefined &&
            moved.has(`${topics.transactions}:${p}`) &&
            moved.has(`${topics.chargebacks}:${p}`)
          );
        }).length;
        console.info(
          `fraud move (${client}): w2 took ${[...moved].sort().join(', ')}; ${carried} chargebacks there after the move of transactions w1 predicted; unmatched w1 ${a?.labelsUnmatched} w2 ${b?.labelsUnmatched}`,
        );
        expect(carried).toBeGreaterThan(0);
        expect(a?.labelsUnmatched).toBe(0);
        expect(b?.labelsUnmatched).toBe(0);
        expect(predicted().size).toBe(replay.transactions);
      } finally {
        await close();
      }
    });
  },
);
