import { describe, expect, it, vi } from 'vitest';
import {
  DeadLetterHeaders,
  deadLetter,
  emit,
  headerToString,
  isTributaryError,
  jsonSerde,
  type MemoryBus,
  many,
  memoryBus,
  type OutRecord,
  pipeline,
  type RuntimeEvent,
  run,
  type Sink,
  type Source,
  type StageObject,
  silentLogger,
  skip,
  stringSerde,
  when,
} from './index.js';

const seed = (n: number, partitions = 3, topic = 'in') => {
  const bus = memoryBus({ partitions });
  bus.produce(
    topic,
    Array.from({ length: n }, (_, i) => ({ key: `k${i % 10}`, value: i })),
  );
  return bus;
};

/** `seed`'s numbers, read from `in` by group `g` up to the end. */
const numbers = (bus: MemoryBus, more: { readonly maxBatchSize?: number } = {}) =>
  bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g', stopAtEnd: true, ...more });

/** A sink that records every batch and can be told to fail. */
function spySink<V>(
  name = 'spy',
  fail?: (attempt: number, batch: readonly OutRecord<V>[]) => boolean,
) {
  const written: OutRecord<V>[] = [];
  let calls = 0;
  const sink: Sink<V> & { written: OutRecord<V>[]; calls: () => number } = {
    name,
    written,
    calls: () => calls,
    write: async (batch) => {
      calls++;
      if (fail?.(calls, batch)) throw new Error(`${name} is down`);
      written.push(...batch);
    },
  };
  return sink;
}

describe('run()', () => {
  it('moves every record through the stages to the sink and commits the end offsets', async () => {
    const bus = seed(1000);
    const handle = run(
      pipeline(numbers(bus))
        .pipe((v) => v * 2)
        .pipe(async (v) => ({ doubled: v }))
        .to(bus.sink({ topic: 'out' })),
      { logger: silentLogger },
    );
    const summary = await handle.done;
    const out = bus.records('out', jsonSerde<{ doubled: number }>());
    expect(out.map((r) => r.value.doubled).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 1000 }, (_, i) => i * 2),
    );
    expect(summary.recordsIn).toBe(1000);
    expect(summary.recordsDone).toBe(1000);
    const ends = [0, 1, 2].map((p) => bus.records('in').filter((r) => r.partition === p).length);
    expect(summary.committed.map((c) => c.offset)).toEqual(ends);
    expect(await bus.admin.committed('g', 'in')).toEqual(summary.committed);
  });

  it('keeps keys and per-partition order from source to sink', async () => {
    const bus = seed(600);
    const out = spySink<number>();
    await run(
      pipeline(numbers(bus))
        // Random async delays would reorder records if lanes did not serialise them.
        .pipe(async (v) => {
          await new Promise((r) => setTimeout(r, v % 3));
          return v;
        })
        .to(out),
      { logger: silentLogger, concurrency: 3 },
    ).done;
    const input = bus.records('in', jsonSerde<number>());
    for (const p of [0, 1, 2]) {
      const expected = input.filter((r) => r.partition === p).map((r) => r.value);
      const inOut = new Set(expected);
      expect(out.written.map((r) => r.value).filter((v) => inOut.has(v))).toEqual(expected);
    }
    expect(out.written.every((r) => r.key === `k${(r.value as number) % 10}`)).toBe(true);
  });

  it('fans out to several sinks and routes by predicate', async () => {
    const bus = seed(100);
    const all = spySink<number>('all');
    const alerts = spySink<number>('alerts');
    const handle = run(
      pipeline(numbers(bus)).to(
        all,
        when((v) => v >= 90, alerts),
      ),
      { logger: silentLogger },
    );
    const summary = await handle.done;
    expect(all.written).toHaveLength(100);
    expect(alerts.written.map((r) => r.value).sort((a, b) => a - b)).toEqual([
      90, 91, 92, 93, 94, 95, 96, 97, 98, 99,
    ]);
    expect(summary.metrics.sinks.alerts?.filtered).toBe(90);
  });

  it('supports many() for several outputs, undefined to drop and emit() to re-key', async () => {
    const bus = seed(10, 1);
    const out = spySink<string>();
    await run(
      pipeline(numbers(bus))
        .pipe((v) => (v % 2 === 0 ? undefined : v))
        .pipe((v) => many([`${v}a`, emit(`${v}b`, { key: 'other', headers: { h: 'x' } })]))
        .to(out),
      { logger: silentLogger },
    ).done;
    expect(out.written.map((r) => r.value)).toEqual(
      [1, 3, 5, 7, 9].flatMap((v) => [`${v}a`, `${v}b`]),
    );
    expect(out.written[1]?.key).toBe('other');
    expect(out.written[1]?.headers).toEqual({ h: 'x' });
    expect(out.written[0]?.key).toBe('k1');
  });

  it('fails the run on a throwing stage by default and commits nothing past the failed record', async () => {
    const bus = seed(50, 1);
    const out = spySink<number>();
    const handle = run(
      pipeline(numbers(bus))
        .pipe(
          (v) => {
            if (v === 20) throw new Error('boom at 20');
            return v;
          },
          { name: 'explode' },
        )
        .to(out),
      { logger: silentLogger, commitIntervalMs: 1 },
    );
    const error = await handle.done.catch((e: unknown) => e);
    expect(isTributaryError(error, 'STAGE_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/explode failed on in\/0@20: boom at 20/);
    const committed = await bus.admin.committed('g', 'in');
    expect(committed.every((c) => c.offset <= 20)).toBe(true);
  });

  it('dead-letters a rejected promise with the original record and the reason in headers', async () => {
    const bus = memoryBus();
    bus.produce('in', [
      { key: 'a', value: 'ok', headers: { trace: 't1' } },
      { key: 'b', value: 'bad', headers: { trace: 't2' } },
    ]);
    const dlq = spySink<unknown>('dlq');
    const out = spySink<string>();
    const summary = await run(
      pipeline(bus.source({ serde: stringSerde(), topic: 'in', group: 'g', stopAtEnd: true }))
        .pipe(
          async (v) => {
            if (v === 'bad') throw Object.assign(new Error('not good'), { code: 'E_BAD' });
            return v.toUpperCase();
          },
          { name: 'upper', onError: deadLetter(dlq) },
        )
        .to(out),
      { logger: silentLogger },
    ).done;
    expect(out.written.map((r) => r.value)).toEqual(['OK']);
    expect(dlq.written).toHaveLength(1);
    const dead = dlq.written[0] as OutRecord<unknown>;
    expect(dead.key).toBe('b');
    expect(String(dead.value)).toBe('bad');
    expect(dead.headers.trace).toBe('t2');
    expect(dead.headers[DeadLetterHeaders.stage]).toBe('upper');
    expect(dead.headers[DeadLetterHeaders.message]).toBe('not good');
    expect(dead.headers[DeadLetterHeaders.code]).toBe('E_BAD');
    expect(dead.headers[DeadLetterHeaders.attempts]).toBe('1');
    expect(dead.headers[DeadLetterHeaders.offset]).toBe('1');
    expect(summary.deadLettered).toBe(1);
    expect(summary.committed).toEqual([{ topic: 'in', partition: 0, offset: 2 }]);
  });

  it('retries with backoff, then dead-letters with the attempt count', async () => {
    const bus = seed(3, 1);
    const dlq = spySink<unknown>('dlq');
    const events: RuntimeEvent[] = [];
    let calls = 0;
    const summary = await run(
      pipeline(numbers(bus))
        .pipe(
          (v) => {
            if (v === 1) {
              calls++;
              throw new Error('flaky');
            }
            return v;
          },
          { name: 'flaky', retry: { retries: 3, initialDelayMs: 2, jitter: 'none' } },
        )
        .to(spySink<number>()),
      { logger: silentLogger, onError: deadLetter(dlq), onEvent: (e) => events.push(e) },
    ).done;
    expect(calls).toBe(4);
    const delays = events.flatMap((e) => (e.type === 'retry' ? [e.delayMs] : []));
    expect(delays).toEqual([2, 4, 8]);
    expect(dlq.written[0]?.headers[DeadLetterHeaders.attempts]).toBe('4');
    expect(summary.metrics.steps.flaky).toMatchObject({ errors: 4, retries: 3, deadLettered: 1 });
  });

  it('succeeds after a retry without dead-lettering', async () => {
    const bus = seed(5, 1);
    const out = spySink<number>();
    let failures = 0;
    await run(
      pipeline(numbers(bus))
        .pipe((v) => {
          if (v === 2 && failures++ < 2) throw new Error('transient');
          return v;
        })
        .to(out),
      { logger: silentLogger, retry: { retries: 2, initialDelayMs: 1 } },
    ).done;
    expect(out.written.map((r) => r.value)).toEqual([0, 1, 2, 3, 4]);
  });

  it('skips, counts and logs a failing record under the skip policy', async () => {
    const bus = seed(4, 1);
    const warn = vi.fn();
    const summary = await run(
      pipeline(numbers(bus))
        .pipe(
          (v) => {
            if (v === 3) throw new Error('nope');
            return v;
          },
          { name: 'picky', onError: skip },
        )
        .to(spySink<number>()),
      { logger: { ...silentLogger, warn } },
    ).done;
    expect(summary.skipped).toBe(1);
    expect(summary.metrics.steps.picky?.skipped).toBe(1);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('skipped a record that failed in picky'),
      expect.objectContaining({ offset: 3, error: 'nope' }),
    );
    expect(summary.committed).toEqual([{ topic: 'in', partition: 0, offset: 4 }]);
  });

  it('retries a failing sink, then dead-letters its records under the sink name', async () => {
    const bus = seed(20, 1);
    const dlq = spySink<unknown>('dlq');
    const flaky = spySink<number>('flaky-sink', (_attempt, batch) =>
      batch.some((r) => r.value === 7),
    );
    const summary = await run(pipeline(numbers(bus, { maxBatchSize: 5 })).to(flaky), {
      logger: silentLogger,
      batchSize: 5,
      sinkRetry: { retries: 2, initialDelayMs: 1 },
      onError: deadLetter(dlq),
    }).done;
    // The batch holding 7 (records 5..9) failed three times; written one by one, only 7 fails.
    expect(dlq.written.map((r) => JSON.parse(String(r.value)))).toEqual([7]);
    expect(dlq.written.every((r) => r.headers[DeadLetterHeaders.stage] === 'flaky-sink')).toBe(
      true,
    );
    // Three batch attempts, then the record alone.
    expect(dlq.written[0]?.headers[DeadLetterHeaders.attempts]).toBe('4');
    expect(flaky.written.map((r) => r.value)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ]);
    expect(summary.metrics.sinks['flaky-sink']).toMatchObject({ retries: 2, deadLettered: 1 });
    expect(summary.committed).toEqual([{ topic: 'in', partition: 0, offset: 20 }]);
  });

  it('fails the run when the sink keeps failing under the fail policy, without committing its records', async () => {
    const bus = seed(10, 1);
    const down = spySink<number>('down', () => true);
    const error = await run(pipeline(numbers(bus)).to(down), {
      logger: silentLogger,
      sinkRetry: { retries: 1, initialDelayMs: 1 },
      commitIntervalMs: 1,
    }).done.catch((e: unknown) => e);
    expect(isTributaryError(error, 'SINK_FAILED')).toBe(true);
    // Only the start position may be committed: no record was written.
    const committed = await bus.admin.committed('g', 'in');
    expect(committed.every((c) => c.offset === 0)).toBe(true);
  });

  it('keeps up to writeConcurrency sink writes under way, issued in order, and commits only what is written', async () => {
    const bus = seed(100, 1);
    let active = 0;
    let peak = 0;
    const calls: number[] = [];
    const written: number[] = [];
    const sink: Sink<number> = {
      name: 'concurrent',
      writeConcurrency: 3,
      write: async (batch) => {
        calls.push(batch[0]?.value as number);
        active++;
        peak = Math.max(peak, active);
        // Later batches finish first: completion order must not matter for commits.
        await new Promise((r) => setTimeout(r, 10 - (calls.length % 3) * 4));
        active--;
        written.push(...batch.map((r) => r.value));
      },
    };
    const summary = await run(pipeline(numbers(bus, { maxBatchSize: 10 })).to(sink), {
      logger: silentLogger,
      batchSize: 10,
      lingerMs: 0,
    }).done;
    expect(peak).toBe(3);
    expect(calls).toEqual(calls.slice().sort((a, b) => a - b));
    expect(written.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(summary.committed).toEqual([{ topic: 'in', partition: 0, offset: 100 }]);
    const bad: Sink<number> = { name: 'bad', writeConcurrency: 0, write: async () => {} };
    expect(() =>
      run(pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'x' })).to(bad), {
        logger: silentLogger,
      }),
    ).toThrowError(/`bad.writeConcurrency`/);
  });

  it('stop() while records are in flight: none lost, none committed early', async () => {
    const bus = seed(200, 2);
    const out = spySink<number>();
    let started = 0;
    const handle = run(
      pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g' }))
        .pipe(async (v) => {
          started++;
          await new Promise((r) => setTimeout(r, 2));
          return v;
        })
        .to(out),
      { logger: silentLogger, maxInFlight: 20, commitIntervalMs: 5 },
    );
    await vi.waitFor(() => expect(started).toBeGreaterThan(30));
    const summary = await handle.stop();
    expect(summary.recordsDone).toBeLessThan(200);
    const written = new Set(out.written.map((r) => r.value));
    const input = bus.records('in', jsonSerde<number>());
    for (const c of await bus.admin.committed('g', 'in')) {
      // Everything below a committed offset was written.
      for (const r of input.filter((x) => x.partition === c.partition && x.offset < c.offset)) {
        expect(written.has(r.value)).toBe(true);
      }
    }
    // A second run of the same group picks up the rest: together they cover every record.
    const rest = spySink<number>();
    await run(pipeline(numbers(bus)).to(rest), {
      logger: silentLogger,
    }).done;
    const union = new Set([...written, ...rest.written.map((r) => r.value)]);
    expect(union.size).toBe(200);
  });

  it('pauses the source when maxInFlight records are pending and resumes below half', async () => {
    const bus = seed(300, 1);
    const events: RuntimeEvent['type'][] = [];
    let maxInFlight = 0;
    const handle = run(
      pipeline(numbers(bus, { maxBatchSize: 10 }))
        .pipe(async (v) => {
          maxInFlight = Math.max(maxInFlight, handle.metrics().inFlight);
          await new Promise((r) => setImmediate(r));
          return v;
        })
        .to(spySink<number>()),
      { logger: silentLogger, maxInFlight: 25, onEvent: (e) => events.push(e.type) },
    );
    await handle.done;
    expect(events).toContain('paused');
    expect(events).toContain('resumed');
    // One delivery may overshoot the limit, never more.
    expect(maxInFlight).toBeLessThanOrEqual(25 + 10);
  });

  it('gives each key its own state, private to the stage', async () => {
    const bus = seed(100, 2);
    const out = spySink<[string, number]>();
    await run(
      pipeline(numbers(bus))
        .pipe((_v, ctx) => {
          const n = (ctx.state.get<number>() ?? 0) + 1;
          ctx.state.set(n);
          return [String(ctx.key), n] as [string, number];
        })
        .to(out),
      { logger: silentLogger },
    ).done;
    const last = new Map(out.written.map((r) => r.value));
    expect([...last.values()]).toEqual(Array(10).fill(10));
  });

  it('processes keys of one partition concurrently with ordering: key, keeping per-key order', async () => {
    const bus = seed(200, 1);
    const out = spySink<number>();
    let active = 0;
    let peak = 0;
    await run(
      pipeline(numbers(bus))
        .pipe(async (v) => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 1));
          active--;
          return v;
        })
        .to(out),
      { logger: silentLogger, ordering: 'key', concurrency: 4 },
    ).done;
    expect(peak).toBe(4);
    for (let k = 0; k < 10; k++) {
      const seen = out.written.filter((r) => r.key === `k${k}`).map((r) => r.value);
      expect(seen).toEqual(seen.slice().sort((a, b) => a - b));
      expect(seen).toHaveLength(20);
    }
  });

  it('decodes with the source serde and dead-letters undecodable records as DECODE_FAILED', async () => {
    const bus = memoryBus();
    bus.produce('raw', [{ value: '{"a":1}' }, { value: '{oops' }, { value: '{"a":3}' }]);
    const dlq = spySink<unknown>('dlq');
    const out = spySink<{ a: number }>();
    await run(
      pipeline(
        bus.source({
          serde: jsonSerde<{ a: number }>(),
          topic: 'raw',
          group: 'g',
          stopAtEnd: true,
        }),
      ).to(out),
      { logger: silentLogger, onError: deadLetter(dlq) },
    ).done;
    expect(out.written.map((r) => r.value.a)).toEqual([1, 3]);
    // The dead letter keeps the original bytes.
    expect(Buffer.from(dlq.written[0]?.value as Uint8Array).toString('utf8')).toBe('{oops');
    expect(dlq.written[0]?.headers[DeadLetterHeaders.code]).toBe('DECODE_FAILED');
    expect(dlq.written[0]?.headers[DeadLetterHeaders.stage]).toBe('memory:raw@g.decode');
  });

  it('carries TributaryError details into the dead-letter headers as JSON', async () => {
    const bus = seed(1, 1);
    const dlq = spySink<unknown>('dlq');
    const { TributaryError } = await import('./errors.js');
    await run(
      pipeline(numbers(bus))
        .pipe(() => {
          throw new TributaryError('VALIDATION_FAILED', 'bad', {
            details: { issues: [{ path: ['a'], message: 'Required' }] },
          });
        })
        .to(spySink<never>()),
      { logger: silentLogger, onError: deadLetter(dlq) },
    ).done;
    const h = dlq.written[0]?.headers ?? {};
    expect(h[DeadLetterHeaders.code]).toBe('VALIDATION_FAILED');
    expect(JSON.parse(headerToString(h[DeadLetterHeaders.details]) ?? '')).toEqual({
      issues: [{ path: ['a'], message: 'Required' }],
    });
  });

  it('calls open, flush and close of object stages, and snapshots and restores them', async () => {
    const calls: string[] = [];
    const counter = (): StageObject<number, number> & { total: number } => ({
      name: 'counter',
      total: 0,
      open() {
        calls.push('open');
      },
      process(v) {
        this.total += v;
        return this.total;
      },
      flush() {
        calls.push('flush');
      },
      close() {
        calls.push('close');
      },
      snapshot() {
        return { total: this.total };
      },
      restore(s) {
        this.total = (s as { total: number }).total;
      },
    });
    const bus = seed(10, 1);
    const first = counter();
    const h = run(pipeline(numbers(bus)).pipe(first).to(spySink<number>()), {
      logger: silentLogger,
    });
    await h.done;
    expect(calls[0]).toBe('open');
    expect(calls).toContain('flush');
    expect(calls.at(-1)).toBe('close');
    const snap = h.snapshot();
    expect(snap.stages).toEqual({ counter: { total: 45 } });
    const second = counter();
    bus.produce('in', [{ value: 100 }]);
    await run(pipeline(numbers(bus)).pipe(second).to(spySink<number>()), {
      logger: silentLogger,
      restore: snap,
    }).done;
    expect(second.total).toBe(145);
  });

  it('reports metrics: per-step counts, latency histogram, commits and custom counters', async () => {
    const bus = seed(50, 2);
    const commits: number[] = [];
    const h = run(
      pipeline(numbers(bus))
        .pipe(
          (v, ctx) => {
            if (v % 5 === 0) ctx.count('fives');
            return v % 2 === 0 ? v : undefined;
          },
          { name: 'evens' },
        )
        .to(spySink<number>('out')),
      {
        logger: silentLogger,
        onEvent: (e) => {
          if (e.type === 'commit') commits.push(e.offsets.length);
        },
      },
    );
    const { metrics } = await h.done;
    expect(metrics.steps.evens).toMatchObject({ in: 50, out: 25, custom: { fives: 10 } });
    expect(metrics.sinks.out?.written).toBe(25);
    expect(metrics.latencyMs.count).toBe(50);
    expect(metrics.latencyMs.counts.reduce((a, b) => a + b, 0)).toBe(50);
    expect(metrics.inFlight).toBe(0);
    expect(commits.length).toBeGreaterThan(0);
    expect(metrics.commits).toBe(commits.length);
  });

  it('reports consumer lag per assigned partition: end offset minus committed position', async () => {
    const bus = seed(0, 2);
    bus.produce('in', [
      { key: 'a', value: 1, partition: 0 },
      { key: 'a', value: 2, partition: 0 },
      { key: 'b', value: 3, partition: 1 },
    ]);
    // A run of group g whose stage holds every record until `open()`.
    const gated = (commitIntervalMs?: number) => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const handle = run(
        pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g' }))
          .pipe(async (v) => {
            await gate;
            return v;
          })
          .to(spySink<number>()),
        { logger: silentLogger, ...(commitIntervalMs === undefined ? {} : { commitIntervalMs }) },
      );
      return { handle, open };
    };
    const { handle: h, open } = gated(10);
    // Held in the stage, nothing committed: lag counts from the first offset delivered.
    await vi.waitFor(() => expect(h.metrics().inFlight).toBe(3));
    expect(h.metrics().lag).toEqual([
      { topic: 'in', partition: 0, endOffset: 2, lag: 2 },
      { topic: 'in', partition: 1, endOffset: 1, lag: 1 },
    ]);
    open();
    await vi.waitFor(() => expect(h.metrics().committed.map((c) => c.offset)).toEqual([2, 1]));
    expect(h.metrics().lag.map((l) => l.lag)).toEqual([0, 0]);
    await h.stop();
    // A new run of the group: records after the committed position are lag until committed.
    bus.produce('in', [
      { key: 'a', value: 4, partition: 0 },
      { key: 'a', value: 5, partition: 0 },
    ]);
    const { handle: h2, open: open2 } = gated();
    await vi.waitFor(() => expect(h2.metrics().inFlight).toBe(2));
    // Partition 1 has had no delivery or commit in this run: its position is unknown, so no lag.
    expect(h2.metrics().lag).toEqual([{ topic: 'in', partition: 0, endOffset: 4, lag: 2 }]);
    open2();
    await h2.stop();
  });

  it('offers offsets again when the source committed fewer than asked (exactly-once sources do)', async () => {
    const bus = seed(0, 1);
    bus.produce(
      'in',
      [1, 2, 3].map((value) => ({ key: 'a', value })),
    );
    const inner = bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g' });
    let accept = false;
    let asked = 0;
    const source: Source<number> = {
      name: 'partial',
      async start(listener) {
        const session = await inner.start(listener);
        return {
          async commit(offsets) {
            asked++;
            if (!accept) return []; // e.g. records of other partitions still in flight
            await session.commit(offsets);
            return offsets;
          },
          pause: (tps) => session.pause(tps),
          resume: (tps) => session.resume(tps),
          close: () => session.close(),
        };
      },
    };
    const h = run(pipeline(source).to(spySink<number>()), {
      logger: silentLogger,
      commitIntervalMs: 5,
    });
    await vi.waitFor(() => expect(asked).toBeGreaterThan(2));
    expect(h.metrics().recordsDone).toBe(3);
    expect(h.metrics()).toMatchObject({ committed: [], commits: 0 });
    accept = true;
    await vi.waitFor(() =>
      expect(h.metrics().committed).toEqual([{ topic: 'in', partition: 0, offset: 3 }]),
    );
    expect(await bus.admin.committed('g', 'in')).toEqual([
      { topic: 'in', partition: 0, offset: 3 },
    ]);
    await h.stop();
  });

  it('stop() gives up on a stage that never settles after drainTimeoutMs; its record stays uncommitted', async () => {
    const bus = seed(0, 1);
    bus.produce('in', [
      { key: 'a', value: 1 },
      { key: 'a', value: 2 },
    ]);
    const out = spySink<number>();
    const h = run(
      pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g' }))
        .pipe((v) => (v === 2 ? new Promise<number>(() => {}) : v))
        .to(out),
      { logger: silentLogger, drainTimeoutMs: 50 },
    );
    await vi.waitFor(() => expect(h.metrics().recordsDone).toBe(1));
    const summary = await h.stop();
    expect(out.written.map((r) => r.value)).toEqual([1]);
    expect(summary.committed).toEqual([{ topic: 'in', partition: 0, offset: 1 }]);
    expect(await bus.admin.committed('g', 'in')).toEqual(summary.committed);
  });

  it('a drained stop() clears its drain timer (a pending one held the run, its bus and state, for drainTimeoutMs)', async () => {
    const set = vi.spyOn(globalThis, 'setTimeout');
    const clear = vi.spyOn(globalThis, 'clearTimeout');
    try {
      const bus = seed(20, 2);
      const h = run(
        pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g' })).to(
          spySink<number>(),
        ),
        { logger: silentLogger, drainTimeoutMs: 123_457 },
      );
      await vi.waitFor(() => expect(h.metrics().recordsDone).toBe(20));
      await h.stop();
      const drainTimers = set.mock.results
        .filter((_, i) => set.mock.calls[i]?.[1] === 123_457)
        .map((r) => r.value);
      expect(drainTimers).toHaveLength(1);
      expect(clear.mock.calls.map((c) => c[0])).toContain(drainTimers[0]);
    } finally {
      set.mockRestore();
      clear.mockRestore();
    }
  });

  it('stops gracefully on SIGTERM when handleSignals is set', async () => {
    const bus = seed(5, 1);
    const h = run(
      pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g' })).to(
        spySink<number>(),
      ),
      {
        logger: silentLogger,
        handleSignals: true,
      },
    );
    await vi.waitFor(() => expect(h.metrics().recordsDone).toBe(5));
    process.emit('SIGTERM');
    const summary = await h.done;
    expect(summary.committed).toEqual([{ topic: 'in', partition: 0, offset: 5 }]);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('rejects invalid options at once, naming the option', () => {
    const bus = memoryBus();
    const p = pipeline(bus.source({ topic: 'in', group: 'g' })).to(bus.sink({ topic: 'out' }));
    expect(() => run(p, { concurrency: 0 })).toThrowError(
      /Invalid option `concurrency`: expected an integer >= 1, got 0/,
    );
    expect(() => run(p, { maxInFlight: 1.5 })).toThrowError(/`maxInFlight`/);
    expect(() => run(p, { lingerMs: -1 })).toThrowError(/`lingerMs`/);
    expect(() => run(p, { ordering: 'random' as 'key' })).toThrowError(/`ordering`/);
    expect(() => run(p, { retry: { retries: -1 } })).toThrowError(/`retry.retries`/);
    try {
      run(p, { batchSize: 0 });
    } catch (e) {
      expect(isTributaryError(e, 'INVALID_OPTION')).toBe(true);
    }
  });
});
