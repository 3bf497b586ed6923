import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadLetter, pipeline, run, silentLogger, TributaryError } from '@tributary/core';
import { deadLetterTopic, kafkaBus, kafkaModelStore } from '@tributary/kafka';
import { afterAll, describe, expect, inject, it } from 'vitest';
import '../test/provided.js';
import { jsonLines, type SpawnResult, spawnCli, stdoutOf } from '../test/spawnCli.js';

// The CLI as users run it: a child process against the local broker.
const brokers = inject('kafkaBrokers');
const id = `cli-${randomUUID().slice(0, 8)}`;
const t = { input: `${id}-in`, fixed: `${id}-fixed`, dlq: `${id}-dlq`, models: `${id}-models` };
const bus = kafkaBus({ brokers, logLevel: 'nothing' });

afterAll(async () => {
  await bus.admin.deleteTopics(Object.values(t)).catch(() => undefined);
  await bus.close();
});

/** Runs `tributary <args>` with KAFKA_BROKERS set; `stdinFile` is redirected to its stdin. */
const cli = (args: string[], stdinFile?: string) =>
  spawnCli(args, { KAFKA_BROKERS: brokers }, stdinFile);

const json = (r: SpawnResult): unknown => JSON.parse(stdoutOf(r));
const lines = jsonLines;

describe('tributary on Kafka', () => {
  it('topics, produce < file, tail, lag, replay --dry-run and for real', async () => {
    expect(json(await cli(['--json', 'topics', 'create', t.input, '-p', '2']))).toEqual({
      topic: t.input,
      partitions: 2,
    });
    const listed = json(await cli(['--json', 'topics'])) as { topic: string }[];
    expect(listed).toContainEqual({ topic: t.input, partitions: 2, records: 0 });

    const file = join(mkdtempSync(join(tmpdir(), 'tributary-cli-int-')), 'orders.jsonl');
    writeFileSync(
      file,
      Array.from({ length: 10 }, (_, i) => JSON.stringify({ key: `k${i}`, value: { id: i } })).join(
        '\n',
      ),
    );
    expect(
      json(await cli(['--json', 'produce', t.input, '--records', '--serde', 'json'], file)),
    ).toEqual({
      topic: t.input,
      records: 10,
    });

    const all = lines(await cli(['--json', 'tail', t.input, '--from-beginning', '--no-follow']));
    expect(all.map((l) => (l.value as { id: number }).id).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    for (const l of all) expect(l.key).toBe(`k${(l.value as { id: number }).id}`);
    // Following, bounded by --max.
    const three = lines(
      await cli(['--json', 'tail', t.input, '-b', '--max', '3', '--timeout', '60000']),
    );
    expect(three).toHaveLength(3);

    // A group reads 6 records and commits them: lag 4.
    const g = `${id}-g`;
    expect(
      lines(
        await cli(['--json', 'tail', t.input, '-b', '--no-follow', '--group', g, '--max', '6']),
      ),
    ).toHaveLength(6);
    const lag = json(await cli(['--json', 'lag', g])) as {
      total: number;
      partitions: { end: number }[];
    };
    expect(lag.total).toBe(4);
    expect(lag.partitions.reduce((n, p) => n + p.end, 0)).toBe(10);

    const plan = json(
      await cli(['--json', 'replay', t.input, '--group', g, '--to-earliest', '--dry-run']),
    ) as {
      replayed: number;
    };
    expect(plan.replayed).toBe(6);
    expect((json(await cli(['--json', 'lag', g])) as { total: number }).total).toBe(4);
    const done = json(await cli(['--json', 'replay', t.input, '--group', g, '--to-earliest'])) as {
      replayed: number;
      dryRun: boolean;
    };
    expect(done).toMatchObject({ replayed: 6, dryRun: false });
    expect((json(await cli(['--json', 'lag', g])) as { total: number }).total).toBe(10);
    const text = await cli(['lag', g, '--topic', t.input]);
    expect(text.stdout).toContain('total lag 10');
  });

  it('models list and rollback on a kafkaModelStore', async () => {
    const store = kafkaModelStore(bus, { topic: t.models, logger: silentLogger });
    const snap = (w: number) => ({ type: 'test', version: 1 as const, options: {}, state: { w } });
    await store.save('fraud', snap(1), { auc: 0.9 });
    await store.save('fraud', snap(2), { auc: 0.6 });
    await store.close();
    const listed = json(await cli(['--json', 'models', '--topic', t.models, 'list'])) as unknown[];
    expect(listed).toMatchObject([{ name: 'fraud', versions: [1, 2], latest: 2 }]);
    const rolled = json(await cli(['--json', 'models', '--topic', t.models, 'rollback', 'fraud']));
    expect(rolled).toEqual({ name: 'fraud', restoredVersion: 1, previous: 2, version: 3 });
    const fresh = kafkaModelStore(bus, { topic: t.models, logger: silentLogger });
    expect(await fresh.load('fraud')).toMatchObject({
      version: 3,
      snapshot: snap(1),
      metadata: { auc: 0.9, rolledBackFrom: 2, restoredVersion: 1 },
    });
    await fresh.close();
  });

  it('dlq inspect and replay the dead letters of a real pipeline', async () => {
    await bus.admin.ensureTopics([{ topic: t.fixed }]);
    // Records with an odd id fail in the stage and go to the dead-letter topic.
    const p = pipeline(bus.source({ topic: t.input, group: `${id}-p`, stopAtEnd: true }))
      .pipe(
        (v) => {
          const order = JSON.parse(Buffer.from(v as Uint8Array).toString()) as { id: number };
          if (order.id % 2 === 1) {
            throw new TributaryError('ORDER_ODD', `odd id ${order.id}`, { retryable: false });
          }
          return order;
        },
        { name: 'check', onError: deadLetter(deadLetterTopic(bus, t.dlq)) },
      )
      .to({ name: 'none', write: async () => {} });
    await run(p, { logger: silentLogger }).done;

    const letters = lines(await cli(['--json', 'dlq', 'inspect', t.dlq]));
    expect(letters).toHaveLength(5);
    for (const l of letters) {
      expect(l).toMatchObject({ code: 'ORDER_ODD', stage: 'check', source: { topic: t.input } });
      expect(l.message).toBe(`odd id ${(l.value as { id: number }).id}`);
    }
    const one = lines(
      await cli(['--json', 'dlq', 'inspect', t.dlq, '--where', 'message=odd id 3']),
    );
    expect(one.map((l) => l.value)).toEqual([{ id: 3 }]);

    const dry = json(await cli(['--json', 'dlq', 'replay', t.dlq, '--to', t.fixed, '--dry-run']));
    expect(dry).toMatchObject({ matched: 5, targets: [{ topic: t.fixed, records: 5 }] });
    const sent = json(
      await cli(['--json', 'dlq', 'replay', t.dlq, '--to', t.fixed, '--where', 'code=ORDER_ODD']),
    );
    expect(sent).toMatchObject({ dryRun: false, matched: 5 });
    const back = lines(await cli(['--json', 'tail', t.fixed, '-b', '--no-follow']));
    expect(back.map((l) => (l.value as { id: number }).id).sort()).toEqual([1, 3, 5, 7, 9]);
    for (const l of back) {
      expect(Object.keys(l.headers as object)).toEqual(['tributary.dlq.replayed-from']);
      expect(l.key).toBe(`k${(l.value as { id: number }).id}`);
    }
  });
});
