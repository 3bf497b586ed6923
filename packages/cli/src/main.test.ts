import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeadLetterHeaders, headerToString } from '@tributary/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../test/runCli.js';
import { devBus } from './devBus.js';
import { fileModelStore } from './internal/cliModelStore.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-cli-'));
});
const dev = (...args: string[]) => ['--dev', dir, ...args];

describe('tributary: usage and exit codes', () => {
  it('prints help with exit code 0, on every command', async () => {
    const root = await runCli(['--help']);
    expect(root.code).toBe(0);
    for (const c of ['topics', 'tail', 'produce', 'lag', 'replay', 'models', 'dlq', 'dashboard'])
      expect(root.stdout).toContain(c);
    const tail = await runCli(['tail', '--help']);
    expect(tail.code).toBe(0);
    expect(tail.stdout).toContain('--from-beginning');
    expect((await runCli(['models', 'rollback', '--help'])).stdout).toContain('--to <version>');
  });

  it('exit code 1 for usage errors, with the error code and no stack', async () => {
    const noBus = await runCli(['topics']);
    expect(noBus.code).toBe(1);
    expect(noBus.stderr).toContain('error CLI_NO_BUS:');
    expect(noBus.stderr).not.toContain('    at ');
    const unknown = await runCli(dev('tail', 'x', '--nope'));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown option '--nope'");
    const badMax = await runCli(dev('tail', 'x', '--max', 'many'));
    expect(badMax.code).toBe(1);
    expect(badMax.stderr).toContain('error CLI_USAGE: --max must be an integer >= 0, got "many"');
    const noTarget = await runCli(dev('replay', 'x', '--group', 'g'));
    expect(noTarget.code).toBe(1);
    expect(noTarget.stderr).toContain('exactly one of --to-timestamp');
    const both = await runCli(['--dev', dir, '--brokers', 'h:1', 'topics']);
    expect(both.code).toBe(1);
    expect((await runCli(dev('dlq', 'inspect', 'd', '--where', 'colour=red'))).stderr).toContain(
      'unknown field "colour"',
    );
  });

  it('exit code 2 for runtime errors; --verbose adds the stack', async () => {
    const missing = await runCli(dev('tail', 'nope', '--no-follow'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error TOPIC_NOT_FOUND: topic "nope" does not exist\n');
    const verbose = await runCli(dev('--verbose', 'tail', 'nope', '--no-follow'));
    expect(verbose.stderr).toContain('    at ');
  });
});

describe('tributary on the dev bus', () => {
  it('produce then tail in separate invocations, text and --json', async () => {
    expect((await runCli(dev('topics', 'create', 'orders', '--partitions', '2'))).code).toBe(0);
    const sent = await runCli(dev('--json', 'produce', 'orders', '--key', 'k1'), {
      stdin: '{"id":1}\n\n{"id":2}\nplain text\n',
    });
    expect(sent).toMatchObject({ code: 0 });
    expect(JSON.parse(sent.stdout)).toEqual({ topic: 'orders', records: 3 });
    const tailed = await runCli(dev('--json', 'tail', 'orders', '--from-beginning', '--no-follow'));
    expect(tailed.code).toBe(0);
    const lines = jsonLines(tailed.stdout) as { value: unknown; key: unknown; offset: number }[];
    // One key: one partition, in order.
    expect(lines.map((l) => [l.offset, l.key, l.value])).toEqual([
      [0, 'k1', { id: 1 }],
      [1, 'k1', { id: 2 }],
      [2, 'k1', 'plain text'],
    ]);
    const text = await runCli(dev('tail', 'orders', '-b', '--no-follow', '--max', '1'));
    expect(text.stdout).toMatch(/^orders\[\d]@0 {2}\S+Z {2}key=k1\n\{\n {2}"id": 1\n\}\n$/);
    expect(text.stderr).toContain('1 record(s) (stopped: max)');
    const listed = await runCli(dev('--json', 'topics'));
    expect(JSON.parse(listed.stdout)).toEqual([{ topic: 'orders', partitions: 2, records: 3 }]);
  });

  it('produce --records keeps keys, headers, timestamps; a bad line stops with its number', async () => {
    await runCli(dev('topics', 'create', 'ev'));
    const input = [
      '{"key":"a","value":{"n":1},"headers":{"h":"x"},"timestamp":1000}',
      '{"value":null}',
      '{"value":{"n":3}}',
      'not json',
      '{"value":5}',
    ].join('\n');
    const r = await runCli(dev('produce', 'ev', '--records', '--serde', 'json'), { stdin: input });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error CLI_BAD_INPUT: line 4: not a JSON record');
    expect(r.stderr).toContain('(3 record(s) before it were sent)');
    const bus = await devBus(dir);
    const records = bus.records('ev');
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({ key: Buffer.from('a'), timestamp: 1000 });
    expect(headerToString(records[0]?.headers.h)).toBe('x');
    expect(records[1]?.value).toBeNull();
    expect(Buffer.from(records[2]?.value as Uint8Array).toString()).toBe('{"n":3}');
  });

  it('tail with --serde json reports undecodable records (exit 2) and prints them raw', async () => {
    await runCli(dev('topics', 'create', 't'));
    await runCli(dev('produce', 't'), { stdin: '{"ok":true}\noops\n' });
    const r = await runCli(dev('--json', 'tail', 't', '-b', '--no-follow', '--serde', 'json'));
    expect(r.code).toBe(2);
    const [good, bad] = jsonLines(r.stdout) as Record<string, unknown>[];
    expect(good?.value).toEqual({ ok: true });
    expect(bad?.error).toMatchObject({ code: 'CLI_BAD_INPUT', raw: 'oops' });
    expect(r.stderr).toContain('1 of 2 record(s) did not decode with --serde json');
  });

  it('tail follows records another invocation appends, until --max', async () => {
    await runCli(dev('topics', 'create', 'live'));
    const tail = runCli(dev('--json', 'tail', 'live', '--max', '2', '--timeout', '20000'));
    await new Promise((r) => setTimeout(r, 300));
    await runCli(dev('produce', 'live'), { stdin: 'one\ntwo\nthree\n' });
    const r = await tail;
    expect(r.code).toBe(0);
    expect((jsonLines(r.stdout) as { value: unknown }[]).map((l) => l.value)).toEqual([
      'one',
      'two',
    ]);
  });

  it('lag, then replay --dry-run and for real', async () => {
    await runCli(dev('topics', 'create', 'in', '-p', '2'));
    const records = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify({ value: `v${i}`, partition: i % 2, timestamp: 1000 + i }),
    );
    await runCli(dev('produce', 'in', '--records'), { stdin: records.join('\n') });
    // A group reads 4 records and commits: the memory bus hands over partition 0 (3 records) first.
    await runCli(dev('tail', 'in', '-b', '--no-follow', '--group', 'g', '--max', '4'));
    let lag = await runCli(dev('--json', 'lag', 'g'));
    expect(JSON.parse(lag.stdout)).toEqual({
      group: 'g',
      total: 2,
      partitions: [
        { topic: 'in', partition: 0, committed: 3, end: 3, lag: 0 },
        { topic: 'in', partition: 1, committed: 1, end: 3, lag: 2 },
      ],
    });
    const text = await runCli(dev('lag', 'g'));
    expect(text.stdout).toContain('total lag 2');
    const plan = await runCli(
      dev('--json', 'replay', 'in', '--group', 'g', '--to-timestamp', '1002', '--dry-run'),
    );
    const p = JSON.parse(plan.stdout) as {
      replayed: number;
      partitions: unknown[];
      dryRun: boolean;
    };
    // Partition 0 holds 1000, 1002, 1004: back to offset 1; partition 1 (1001, 1003, 1005): to 1.
    expect(p).toMatchObject({ dryRun: true, replayed: 2 });
    expect(p.partitions).toEqual([
      { partition: 0, from: 3, to: 1, replayed: 2 },
      { partition: 1, from: 1, to: 1, replayed: 0 },
    ]);
    lag = await runCli(dev('--json', 'lag', 'g'));
    expect(JSON.parse(lag.stdout)).toMatchObject({ total: 2 });
    const real = await runCli(
      dev('replay', 'in', '--group', 'g', '--to-timestamp', '1970-01-01T00:00:01.002Z'),
    );
    expect(real.code).toBe(0);
    lag = await runCli(dev('--json', 'lag', 'g'));
    expect(JSON.parse(lag.stdout)).toMatchObject({ total: 4 });
    const index = JSON.parse(readFileSync(join(dir, 'topics.json'), 'utf8'));
    expect(index.groups.g).toEqual([
      { topic: 'in', partition: 0, offset: 1 },
      { topic: 'in', partition: 1, offset: 1 },
    ]);
  });

  it('models list, show and rollback on the dev directory', async () => {
    const store = fileModelStore(join(dir, 'models', 'm.json'));
    const snap = (w: number) => ({ type: 'test', version: 1 as const, options: {}, state: { w } });
    await store.save('fraud', snap(1), { auc: 0.8 });
    await store.save('other', snap(9), {});
    await store.save('fraud', snap(2), { auc: 0.7 });
    const listed = await runCli(dev('--json', 'models', '--topic', 'm', 'list'));
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { name: 'fraud', versions: [1, 3], latest: 3 },
      { name: 'other', versions: [2], latest: 2 },
    ]);
    const rolled = await runCli(dev('models', '--topic', 'm', 'rollback', 'fraud'));
    expect(rolled).toMatchObject({ code: 0, stdout: "fraud: v4 is v1's snapshot (was v3)\n" });
    const latest = await store.load('fraud');
    expect(latest).toMatchObject({
      version: 4,
      snapshot: snap(1),
      metadata: { auc: 0.8, rolledBackFrom: 3, restoredVersion: 1 },
    });
    const shown = await runCli(dev('--json', 'models', '--topic', 'm', 'show', 'fraud', '3'));
    expect(JSON.parse(shown.stdout)).toMatchObject({
      name: 'fraud',
      version: 3,
      type: 'test',
      versions: [1, 3, 4],
    });
    const missing = await runCli(dev('models', '--topic', 'm', 'rollback', 'fraud', '--to', '2'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error CLI_MODEL_NOT_FOUND: fraud has no version 2');
    expect((await runCli(dev('models', 'list'))).code).toBe(1);
  });

  it('dlq inspect shows reasons; dlq replay sends the original bytes back, filtered', async () => {
    const bus = await devBus(dir);
    await bus.admin.ensureTopics([{ topic: 'orders' }, { topic: 'orders.dlq' }]);
    const letter = (value: string, code: string, offset: number) => ({
      key: `k${offset}`,
      value: Buffer.from(value),
      timestamp: 5000 + offset,
      headers: {
        trace: 't1',
        [DeadLetterHeaders.code]: code,
        [DeadLetterHeaders.stage]: 'validate',
        [DeadLetterHeaders.message]: `${code} at ${offset}`,
        [DeadLetterHeaders.attempts]: '1',
        [DeadLetterHeaders.topic]: 'orders',
        [DeadLetterHeaders.partition]: '0',
        [DeadLetterHeaders.offset]: String(offset),
      },
    });
    bus.produce('orders.dlq', [
      letter('{"a":1}', 'SCHEMA_INVALID', 0),
      letter('\u0000bin', 'DECODE_FAILED', 1),
      letter('{"a":3}', 'SCHEMA_INVALID', 2),
    ]);
    await bus.save();
    const inspect = await runCli(
      dev('--json', 'dlq', 'inspect', 'orders.dlq', '--where', 'code=SCHEMA_INVALID'),
    );
    expect(inspect.code).toBe(0);
    const items = jsonLines(inspect.stdout) as Record<string, unknown>[];
    expect(items.map((i) => [i.code, i.message, i.value])).toEqual([
      ['SCHEMA_INVALID', 'SCHEMA_INVALID at 0', { a: 1 }],
      ['SCHEMA_INVALID', 'SCHEMA_INVALID at 2', { a: 3 }],
    ]);
    expect(items[0]).toMatchObject({
      source: { topic: 'orders', partition: 0, offset: 0 },
      key: 'k0',
    });
    const human = await runCli(dev('dlq', 'inspect', 'orders.dlq'));
    expect(human.stdout).toContain('reason: DECODE_FAILED at 1');
    expect(human.stderr).toContain('3 dead letter(s)');
    const dry = await runCli(
      dev('--json', 'dlq', 'replay', 'orders.dlq', '--where', 'message~=at 2', '--dry-run'),
    );
    expect(JSON.parse(dry.stdout)).toEqual({
      topic: 'orders.dlq',
      dryRun: true,
      matched: 1,
      unroutable: 0,
      targets: [{ topic: 'orders', records: 1 }],
    });
    expect((await devBus(dir)).records('orders')).toHaveLength(0);
    const sent = await runCli(dev('dlq', 'replay', 'orders.dlq', '--where', 'code=SCHEMA_INVALID'));
    expect(sent.code).toBe(0);
    const back = (await devBus(dir)).records('orders');
    expect(back.map((r) => Buffer.from(r.value as Uint8Array).toString())).toEqual([
      '{"a":1}',
      '{"a":3}',
    ]);
    expect(back[0]?.timestamp).toBe(5000);
    expect(Object.keys(back[0]?.headers ?? {}).sort()).toEqual([
      'trace',
      'tributary.dlq.replayed-from',
    ]);
    expect(headerToString(back[1]?.headers['tributary.dlq.replayed-from'])).toBe('orders.dlq:0:2');
  });

  it('dlq replay of letters without a source topic needs --to (exit 2, the others still sent)', async () => {
    const bus = await devBus(dir);
    await bus.admin.ensureTopics([{ topic: 'd' }, { topic: 'fixed' }]);
    bus.produce('d', [
      { value: 'x', headers: { [DeadLetterHeaders.code]: 'E' } },
      {
        value: 'y',
        headers: { [DeadLetterHeaders.code]: 'E', [DeadLetterHeaders.topic]: 'fixed' },
      },
    ]);
    await bus.save();
    const r = await runCli(dev('dlq', 'replay', 'd'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error CLI_DLQ_UNROUTABLE: 1 dead letter(s)');
    expect((await devBus(dir)).records('fixed')).toHaveLength(1);
    expect((await runCli(dev('dlq', 'replay', 'd', '--to', 'fixed'))).code).toBe(0);
    expect((await devBus(dir)).records('fixed')).toHaveLength(3);
  });

  it('dashboard serves the pipelines a file starts until they end', async () => {
    await runCli(dev('topics', 'create', 'orders'));
    await runCli(dev('produce', 'orders'), { stdin: 'a\nb\n' });
    const flow = fileURLToPath(new URL('../test/fixtures/copyFlow.mjs', import.meta.url));
    const r = await runCli(dev('--json', 'dashboard', flow, '--port', '0'));
    expect(r.code).toBe(0);
    const started = JSON.parse(r.stdout) as { url: string; pipelines: string[] };
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(started.pipelines).toEqual(['copyFlow']);
    expect((await devBus(dir)).records('copy')).toHaveLength(2);
    const bad = await runCli(dev('dashboard', join(dir, 'missing.mjs')));
    expect(bad.code).toBe(2);
  });
});
