import { jsonSerde, pipeline, run, silentLogger } from '@tributary/core';
import { type IntervalJoined, intervalJoin } from '@tributary/features';
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

interface Quote {
  id: string;
  at: number;
}
interface Outcome {
  won: boolean;
  at: number;
}

describe.each(clients)('intervalJoin on a real broker (%s)', (client) => {
  const bus = suiteBus(brokers, client, 'ijoin');

  it('a second worker resumes with both buffers restored from the changelog', async () => {
    const n = names(`ijoin-${client}`);
    const quotes = `${n.id}-quotes`;
    const outcomes = `${n.id}-outcomes`;
    await copartitionedTopics(bus(), [quotes, outcomes, n.output]);
    const keys = Array.from({ length: 6 }, (_, i) => `k${i}`);
    await writeRecords(
      bus(),
      quotes,
      keys.map((key, i) => ({ key, value: { id: `q${i}`, at: i * MIN } })),
    );
    // k0's first outcome is read by the first worker too: it is buffered on the outcomes side.
    await writeRecords(bus(), outcomes, [{ key: 'k0', value: { won: false, at: 0 } }]);

    const runWorker = async () => {
      const member = kafkaBus({ brokers, client, logLevel: 'nothing' });
      const state = kafkaStateStore(member, { topic: n.state });
      const source = member.source({ topic: [quotes, outcomes], group: n.group, stopAtEnd: true });
      const join = intervalJoin({
        left: { topic: quotes, values: jsonSerde<Quote>(), eventTime: (q) => q.at },
        right: { topic: outcomes, values: jsonSerde<Outcome>(), eventTime: (o) => o.at },
        withinMs: 10 * MIN,
        allowedLatenessMs: 10 * MIN,
      });
      await run(
        pipeline(source)
          .pipe(join)
          .to(member.sink({ topic: n.output })),
        { logger: silentLogger, state },
      ).done;
      await member.close();
    };
    await runWorker(); // buffers the quotes and k0's outcome; their offsets are committed
    await writeRecords(bus(), outcomes, [
      ...keys.map((key, i) => ({ key, value: { won: i % 2 === 0, at: i * MIN + 9 * MIN } })),
      { key: 'k1', value: { won: true, at: 12 * MIN } }, // 11 minutes after q1: no pair
      { key: 'k5', value: { won: true, at: 6 * MIN } }, // behind k5's newest, within the lateness
      { key: 'k4', value: { won: true, at: 0 } }, // behind k4's watermark (13 − 10 minutes): dropped
    ]);
    await runWorker(); // a new worker: no quote is read again, the buffers come from the changelog

    const out = await collector(brokers, n.output);
    await eventually('8 pairs', () => out.records.length >= 8);
    await out.stop();
    const pairs = json<IntervalJoined<Quote, Outcome>>(out.records)
      .map((j) => `${j.left.id} ${j.right.won} ${j.right.at / MIN}`)
      .sort();
    expect(pairs).toEqual([
      'q0 false 0',
      'q0 true 9',
      'q1 false 10',
      'q2 true 11',
      'q3 false 12',
      'q4 true 13',
      'q5 false 14',
      'q5 true 6',
    ]);
  });
});
