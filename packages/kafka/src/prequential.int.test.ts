import { jsonSerde, pipeline, run, silentLogger } from '@tributary/core';
import { type Evaluation, type PrequentialOutput, prequential } from '@tributary/monitor';
import { describe, expect, inject, it } from 'vitest';
import { clients } from '../test/clients.js';
import {
  collector,
  copartitionedTopics,
  eventually,
  json,
  names,
  suiteBus,
  writeRecords,
} from '../test/helpers.js';
import { kafkaBus } from './kafkaBus.js';
import { kafkaStateStore } from './kafkaStateStore.js';

const brokers = inject('kafkaBrokers');
const MIN = 60_000;

/** A payment to predict on, or the late label of one; both keyed by card. */
type Event =
  | { kind: 'tx'; id: string; t: number }
  | { kind: 'label'; id: string; fraud: boolean; t: number };

/** The test-then-train stage: predictions wait in keyed state of the payment's card. */
const evaluation = (txs: string) =>
  prequential({
    model: { predict: () => false, learn() {} },
    features: () => [0],
    id: (v: Event) => (v.kind === 'tx' ? v.id : undefined),
    lateLabel: (v: Event) => (v.kind === 'label' ? { id: v.id, label: v.fraud } : undefined),
    eventTime: (v: Event) => v.t,
    emitEvaluations: true,
    pending: 'state',
    predictionTopic: txs,
  });

/** Payments of `cards`, and their labels 5 minutes later (even ones fraud). */
const payments = (cards: readonly string[]) =>
  cards.map((key, i) => ({ key, value: { kind: 'tx', id: `t${i}`, t: i * MIN } }));
const labelsOf = (cards: readonly string[]) =>
  cards.map((key, i) => ({
    key,
    value: { kind: 'label', id: `t${i}`, fraud: i % 2 === 0, t: i * MIN + 5 * MIN },
  }));

/** The evaluations among the collected outputs, as `id label delay-in-minutes`, sorted. */
const evaluationsOf = (records: Parameters<typeof json>[0]) =>
  json<PrequentialOutput<Event, boolean, boolean>>(records)
    .filter((o): o is Evaluation<boolean, boolean> => o.type === 'evaluation')
    .map((o) => `${o.id} ${o.label} ${o.delayMs / MIN}`)
    .sort();

describe.each(clients)("prequential's pending predictions on a real broker (%s)", (client) => {
  const bus = suiteBus(brokers, client, 'preq');

  it('a new worker joins the labels of predictions made before it, restored from the changelog', async () => {
    const n = names(`preq-${client}`);
    const txs = `${n.id}-tx`;
    const labels = `${n.id}-labels`;
    await copartitionedTopics(bus(), [txs, labels, n.output]);
    const cards = Array.from({ length: 6 }, (_, i) => `card${i}`);
    await writeRecords(bus(), txs, payments(cards));

    const runWorker = async () => {
      const member = kafkaBus({ brokers, client, logLevel: 'nothing' });
      const state = kafkaStateStore(member, { topic: n.state });
      const stage = evaluation(txs);
      const source = member.source({
        topic: [txs, labels],
        group: n.group,
        stopAtEnd: true,
        serde: jsonSerde<Event>(),
      });
      await run(
        pipeline(source)
          .pipe(stage)
          .to(member.sink({ topic: n.output })),
        {
          logger: silentLogger,
          state,
        },
      ).done;
      await member.close();
      return stage.stats();
    };
    // Predicts on every payment; the predictions wait in keyed state, offsets committed.
    expect(await runWorker()).toMatchObject({ predictions: cards.length, pending: cards.length });
    await writeRecords(bus(), labels, [
      ...labelsOf(cards),
      // keyed by another card than its payment: not found in that card's state
      { key: 'card9', value: { kind: 'label', id: 't1', fraud: true, t: 7 * MIN } },
    ]);
    // A new worker reads no payment again: the predictions come from the changelog.
    expect(await runWorker()).toMatchObject({
      predictions: 0,
      learned: cards.length,
      pending: 0,
      labelsUnmatched: 1,
    });

    const out = await collector(brokers, n.output);
    await eventually('12 outputs', () => out.records.length >= 12);
    await out.stop();
    expect(evaluationsOf(out.records)).toEqual(cards.map((_, i) => `t${i} ${i % 2 === 0} 5`));
  });

  it('partitions moved to a worker that joins the group take their pending predictions along', async () => {
    const n = names(`preqmove-${client}`);
    const txs = `${n.id}-tx`;
    const labels = `${n.id}-labels`;
    await copartitionedTopics(bus(), [txs, labels, n.output]);
    const start = () => {
      const member = kafkaBus({ brokers, client, logLevel: 'nothing' });
      const stage = evaluation(txs);
      const source = member.source({
        topic: [txs, labels],
        group: n.group,
        serde: jsonSerde<Event>(),
      });
      const handle = run(
        pipeline(source)
          .pipe(stage)
          .to(member.sink({ topic: n.output })),
        {
          logger: silentLogger,
          state: kafkaStateStore(member, { topic: n.state }),
        },
      );
      return { member, stage, handle };
    };
    // Enough cards that every partition has some.
    const cards = Array.from({ length: 30 }, (_, i) => `card${i}`);
    const a = start();
    await eventually('a owns every partition', () => a.handle.metrics().assigned.length === 6);
    await writeRecords(bus(), txs, payments(cards));
    await eventually('a predicted on every payment', () => a.stage.stats().predictions === 30);
    const b = start();
    const owned = (h: typeof a) => h.handle.metrics().assigned.length;
    await eventually(
      'the rebalance',
      () => owned(b) > 0 && owned(a) > 0 && owned(a) + owned(b) === 6,
    );
    await writeRecords(bus(), labels, labelsOf(cards));
    const learned = () => a.stage.stats().learned + b.stage.stats().learned;
    await eventually('every label joined', () => learned() >= cards.length);
    for (const m of [a, b]) {
      await m.handle.stop();
      await m.member.close();
    }
    // b predicted on nothing: what it joined had waited in a's keyed state of the moved partitions.
    expect(b.stage.stats()).toMatchObject({ predictions: 0, labelsUnmatched: 0 });
    expect(b.stage.stats().learned).toBeGreaterThan(0);
    expect(a.stage.stats().labelsUnmatched).toBe(0);
    expect(learned()).toBe(cards.length);

    const out = await collector(brokers, n.output);
    await eventually('60 outputs', () => out.records.length >= 60);
    await out.stop();
    expect(evaluationsOf(out.records)).toEqual(
      cards.map((_, i) => `t${i} ${i % 2 === 0} 5`).sort(),
    );
  });
});
