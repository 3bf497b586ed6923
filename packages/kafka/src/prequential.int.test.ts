import { jsonSerde, pipeline, run, silentLogger } from '@tributary/core';
import { type Evaluation, type PrequentialOutput, prequential } from '@tributary/monitor';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clients } from '../test/clients.js';
import { collector, eventually, json, names, writeRecords } from '../test/helpers.js';
import { type KafkaBus, kafkaBus } from './kafkaBus.js';
import { kafkaStateStore } from './kafkaStateStore.js';

const brokers = inject('kafkaBrokers');
const MIN = 60_000;

/** A payment to predict on, or the late label of one; both keyed by card. */
type Event =
  | { kind: 'tx'; id: string; t: number }
  | { kind: 'label'; id: string; fraud: boolean; t: number };

describe.each(clients)("prequential's pending predictions on a real broker (%s)", (client) => {
  let bus: KafkaBus;
  beforeAll(() => {
    bus = kafkaBus({ brokers, client, clientId: `preq-${client}`, logLevel: 'nothing' });
  });
  afterAll(async () => {
    await bus.close();
  });

  it('a new worker joins the labels of predictions made before it, restored from the changelog', async () => {
    const n = names(`preq-${client}`);
    const txs = `${n.id}-tx`;
    const labels = `${n.id}-labels`;
    await bus.admin.ensureTopics([
      { topic: txs, partitions: 3 },
      { topic: labels, partitions: 3 },
      { topic: n.output, partitions: 3 },
    ]);
    const cards = Array.from({ length: 6 }, (_, i) => `card${i}`);
    await writeRecords(
      bus,
      txs,
      cards.map((key, i) => ({ key, value: { kind: 'tx', id: `t${i}`, t: i * MIN } })),
    );

    const runWorker = async () => {
      const member = kafkaBus({ brokers, client, logLevel: 'nothing' });
      const state = kafkaStateStore(member, { topic: n.state });
      const stage = prequential({
        model: { predict: () => false, learn() {} },
        features: () => [0],
        id: (v: Event) => (v.kind === 'tx' ? v.id : undefined),
        lateLabel: (v: Event) => (v.kind === 'label' ? { id: v.id, label: v.fraud } : undefined),
        eventTime: (v: Event) => v.t,
        emitEvaluations: true,
        pending: 'state',
        predictionTopic: txs,
      });
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
    await writeRecords(bus, labels, [
      ...cards.map((key, i) => ({
        key,
        value: { kind: 'label', id: `t${i}`, fraud: i % 2 === 0, t: i * MIN + 5 * MIN },
      })),
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
    const evaluations = json<PrequentialOutput<Event, boolean, boolean>>(out.records)
      .filter((o): o is Evaluation<boolean, boolean> => o.type === 'evaluation')
      .map((o) => `${o.id} ${o.label} ${o.delayMs / MIN}`)
      .sort();
    expect(evaluations).toEqual(cards.map((_, i) => `t${i} ${i % 2 === 0} 5`));
  });
});
