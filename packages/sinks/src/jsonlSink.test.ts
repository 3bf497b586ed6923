import { mkdtemp, open, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeadLetterHeaders,
  deadLetter,
  isTributaryError,
  memoryBus,
  type OutRecord,
  pipeline,
  run,
  silentLogger,
} from '@tributary/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonlFiles, jsonlSink, readJsonl } from './index.js';
import { rec } from './internal/testing/rec.js';

const dir = () => mkdtemp(join(tmpdir(), 'tributary-jsonl-'));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('jsonlSink', () => {
  it('appends one JSON line per record, across writes and reopenings', async () => {
    const path = join(await dir(), 'out', 'events.jsonl');
    const sink = jsonlSink<{ id: number }>(path);
    await sink.open?.();
    await sink.write([rec({ id: 1 }), rec({ id: 2 })]);
    await sink.write([rec({ id: 3 })]);
    await sink.close?.();
    const again = jsonlSink<{ id: number }>(path, { format: (r) => ({ v: r.value.id }) });
    await again.write([rec({ id: 4 })]);
    await again.close?.();
    expect(await readFile(path, 'utf8')).toBe('{"id":1}\n{"id":2}\n{"id":3}\n{"v":4}\n');
  });

  it('has the batch synced to disk before write resolves, and only syncs per write when asked', async () => {
    const path = join(await dir(), 'sync.jsonl');
    const probe = await open(path, 'a');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const events: string[] = [];
    const real = proto.datasync;
    vi.spyOn(proto, 'datasync').mockImplementation(async function (this: unknown) {
      await real.call(this);
      events.push('synced');
    });
    const sink = jsonlSink(path);
    await sink.write([rec(1), rec(2)]);
    events.push('resolved');
    // What the write resolved for is in the file for any reader.
    expect(await readFile(path, 'utf8')).toBe('1\n2\n');
    expect(events).toEqual(['synced', 'resolved']);

    events.length = 0;
    const lazy = jsonlSink(join(await dir(), 'lazy.jsonl'), { fsync: false });
    await lazy.write([rec(1)]);
    await lazy.write([rec(2)]);
    expect(events).toEqual([]);
    await lazy.close?.();
    expect(events).toEqual(['synced']);
  });

  it('rotates by size between lines, never splitting one, and keeps every line once', async () => {
    const path = join(await dir(), 'big.jsonl');
    const sink = jsonlSink<{ i: number; pad: string }>(path, { rotate: { maxBytes: 100 } });
    const all = Array.from({ length: 40 }, (_, i) => ({ i, pad: 'x'.repeat(i % 7) }));
    for (let i = 0; i < all.length; i += 9) await sink.write(all.slice(i, i + 9).map(rec));
    // A line longer than maxBytes gets a file of its own.
    await sink.write([rec({ i: 99, pad: 'y'.repeat(150) })]);
    await sink.close?.();
    const files = await jsonlFiles(path);
    expect(files.length).toBeGreaterThan(5);
    expect(files.at(-1)).toBe(path);
    const read: { i: number }[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const lines = await readJsonl<{ i: number }>(file);
      if (lines.some((l) => l.i === 99)) expect(lines).toHaveLength(1);
      else expect((await stat(file)).size).toBeLessThanOrEqual(100);
      read.push(...lines);
    }
    expect(read.map((r) => r.i)).toEqual([...all.map((r) => r.i), 99]);
  });

  it('rotates by age at the first write after maxAgeMs', async () => {
    const path = join(await dir(), 'aged.jsonl');
    const sink = jsonlSink(path, { rotate: { maxAgeMs: 30 } });
    await sink.write([rec('a')]);
    await sink.write([rec('b')]);
    await new Promise((r) => setTimeout(r, 50));
    await sink.write([rec('c')]);
    await sink.close?.();
    const files = await jsonlFiles(path);
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/aged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.jsonl$/);
    expect(await readJsonl(files[0] as string)).toEqual(['a', 'b']);
    expect(await readJsonl(path)).toEqual(['c']);
  });

  it('cuts off a partial last line left by a crash before appending', async () => {
    const path = join(await dir(), 'crashed.jsonl');
    await writeFile(path, '{"id":1}\n{"id":2}\n{"id":3,"na');
    expect(await readJsonl(path)).toEqual([{ id: 1 }, { id: 2 }]);
    const sink = jsonlSink(path);
    await sink.open?.();
    await sink.write([rec({ id: 3 })]);
    await sink.close?.();
    expect(await readFile(path, 'utf8')).toBe('{"id":1}\n{"id":2}\n{"id":3}\n');
  });

  it('rejects a value with no JSON form with a typed, non-retryable error and writes nothing of the batch', async () => {
    const path = join(await dir(), 'bad.jsonl');
    const sink = jsonlSink<unknown>(path);
    await sink.open?.();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [10n, cyclic, undefined]) {
      const error = await sink.write([rec('ok'), rec(bad)]).catch((e: unknown) => e);
      expect(isTributaryError(error, 'SINK_NOT_SERIALIZABLE')).toBe(true);
      expect(error).toMatchObject({ retryable: false, details: { index: 1 } });
    }
    await sink.close?.();
    expect(await readJsonl(path)).toEqual([]);
  });

  it('in a pipeline, only the record that cannot be written meets the error policy, with the reason', async () => {
    const path = join(await dir(), 'pipeline.jsonl');
    const bus = memoryBus();
    bus.produce(
      'in',
      Array.from({ length: 10 }, (_, i) => ({ value: Buffer.from(String(i)) })),
    );
    const dlq: OutRecord[] = [];
    const summary = await run(
      pipeline(bus.source({ topic: 'in', group: 'g', stopAtEnd: true }))
        .pipe((v) => {
          const n = Number(Buffer.from(v as Uint8Array).toString());
          return n === 6 ? { n, big: BigInt(n) } : { n };
        })
        .to(jsonlSink(path)),
      {
        logger: silentLogger,
        batchSize: 10,
        onError: deadLetter({ name: 'dlq', write: async (b) => void dlq.push(...b) }),
      },
    ).done;
    expect((await readJsonl<{ n: number }>(path)).map((r) => r.n)).toEqual([
      0, 1, 2, 3, 4, 5, 7, 8, 9,
    ]);
    expect(dlq).toHaveLength(1);
    expect(dlq[0]?.headers[DeadLetterHeaders.code]).toBe('SINK_NOT_SERIALIZABLE');
    expect(String(dlq[0]?.headers[DeadLetterHeaders.message])).toMatch(/BigInt/);
    // No write retries for it: the batch went straight to record-by-record writing.
    expect(summary.metrics.sinks[`jsonl:${path}`]?.retries).toBe(0);
    expect(summary.committed).toEqual([{ topic: 'in', partition: 0, offset: 10 }]);
  });

  it('fails a write it cannot make with SINK_FILE_FAILED naming the path, retryable', async () => {
    const base = await dir();
    await writeFile(join(base, 'file'), 'not a folder');
    const sink = jsonlSink(join(base, 'file', 'x.jsonl'));
    const error = await sink.write([rec(1)]).catch((e: unknown) => e);
    expect(isTributaryError(error, 'SINK_FILE_FAILED')).toBe(true);
    expect(error).toMatchObject({ details: { action: 'open' } });
    expect((error as { retryable?: boolean }).retryable).toBe(true);
  });

  it('refuses bad options', () => {
    expect(() => jsonlSink('')).toThrow(/path/);
    expect(() => jsonlSink('x.jsonl', { rotate: { maxBytes: 0 } })).toThrow(/rotate.maxBytes/);
    expect(() => jsonlSink('x.jsonl', { rotate: { maxAgeMs: -1 } })).toThrow(/rotate.maxAgeMs/);
  });
});

describe('readJsonl', () => {
  it('reports a broken line before the last as SINK_FILE_CORRUPT with its number', async () => {
    const path = join(await dir(), 'corrupt.jsonl');
    await writeFile(path, '1\n{oops\n3\n');
    const error = await readJsonl(path).catch((e: unknown) => e);
    expect(isTributaryError(error, 'SINK_FILE_CORRUPT')).toBe(true);
    expect(error).toMatchObject({ details: { line: 2 } });
  });
});
