import { describe, expect, it, vi } from 'vitest';
import {
  deadLetter,
  emit,
  jsonSerde,
  type Key,
  keyToString,
  many,
  memoryBus,
  type OutRecord,
  pipeline,
  type RuntimeEvent,
  run,
  type Sink,
  type StageEndContext,
  type StageObject,
  silentLogger,
  skip,
} from './index.js';

const seed = (n: number, partitions = 3) => {
  const bus = memoryBus({ partitions });
  bus.produce(
    'in',
    Array.from({ length: n }, (_, i) => ({ key: `k${i % 10}`, value: i })),
    { serde: jsonSerde<number>() },
  );
  return bus;
};

const source = (bus: ReturnType<typeof memoryBus>, stopAtEnd = true) =>
  bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g', stopAtEnd });

function spySink<V>(name = 'spy', onWrite?: (batch: readonly OutRecord<V>[]) => void) {
  const written: OutRecord<V>[] = [];
  const sink: Sink<V> & { written: OutRecord<V>[] } = {
    name,
    written,
    write: async (batch) => {
      onWrite?.(batch);
      written.push(...batch);
    },
  };
  return sink;
}

type Out = { kind: 'record'; v: number } | { kind: 'end'; partition: number; n: number };

/** Passes records on and, at the end of input, emits one summary per partition it saw. */
function countingStage(reasons: string[] = []): StageObject<number, Out> {
  const seen = new Map<number, number>();
  return {
    name: 'counting',
    process: (v, ctx) => {
      seen.set(ctx.partition, (seen.get(ctx.partition) ?? 0) + 1);
      return { kind: 'record', v };
    },
    end: (ctx: StageEndContext) => {
      reasons.push(ctx.reason);
      const n = seen.get(ctx.partition);
      if (n === undefined) return undefined;
      return emit<Out>(
        { kind: 'end', partition: ctx.partition, n },
        { key: `p${ctx.partition}`, timestamp: 7 },
      );
    },
  };
}

describe('StageObject.end', () => {
  it('at the end of a bounded source, sends end outputs through the later steps to the sinks before the final commit', async () => {
    const bus = seed(30);
    const events: string[] = [];
    const seenByNext: { key: Key; offset: number; timestamp: number }[] = [];
    const out = spySink<Out & { next: true }>('spy', (batch) => {
      for (const r of batch) if (r.value.kind === 'end') events.push('end-written');
    });
    const reasons: string[] = [];
    const summary = await run(
      pipeline(source(bus))
        .pipe(countingStage(reasons))
        .pipe((o, ctx) => {
          if (o.kind === 'end')
            seenByNext.push({ key: ctx.key, offset: ctx.offset, timestamp: ctx.timestamp });
          return { ...o, next: true as const };
        })
        .to(out),
      {
        logger: silentLogger,
        onEvent: (e: RuntimeEvent) => {
          if (e.type === 'commit') events.push('commit');
        },
      },
    ).done;
    const ends = out.written.filter((r) => r.value.kind === 'end');
    expect(ends.map((r) => keyToString(r.key)).sort()).toEqual(['p0', 'p1', 'p2']);
    expect(ends.every((r) => r.timestamp === 7 && r.value.next)).toBe(true);
    const perPartition = [0, 1, 2].map(
      (p) => bus.records('in').filter((r) => r.partition === p).length,
    );
    for (const r of ends) {
      const v = r.value as { partition: number; n: number };
      expect(v.n).toBe(perPartition[v.partition]);
    }
    // Later steps see the emitted key and timestamp; an end output has no source offset.
    expect(seenByNext.map((s) => s.key).sort()).toEqual(['p0', 'p1', 'p2']);
    expect(seenByNext.every((s) => s.offset === -1 && s.timestamp === 7)).toBe(true);
    expect(reasons).toEqual(['end', 'end', 'end']);
    expect(out.written.filter((r) => r.value.kind === 'record')).toHaveLength(30);
    // End outputs are not source records: the record counts stay those of the input.
    expect(summary.recordsIn).toBe(30);
    expect(summary.recordsDone).toBe(30);
    expect(summary.metrics.steps.counting?.out).toBe(33);
    expect(events.lastIndexOf('commit')).toBeGreaterThan(events.lastIndexOf('end-written'));
    expect(summary.committed.map((c) => c.offset)).toEqual(perPartition);
  });

  it('on stop() of an unbounded source, calls end with reason stop and writes its outputs', async () => {
    const bus = seed(40, 2);
    const out = spySink<Out>();
    const reasons: string[] = [];
    const handle = run(pipeline(source(bus, false)).pipe(countingStage(reasons)).to(out), {
      logger: silentLogger,
    });
    await vi.waitFor(() => expect(handle.metrics().recordsDone).toBe(40));
    await handle.stop();
    expect(reasons).toEqual(['stop', 'stop']);
    const ends = out.written.flatMap((r) => (r.value.kind === 'end' ? [r.value] : []));
    expect(ends.reduce((s, e) => s + e.n, 0)).toBe(40);
  });

  it("gives process and end the partition's state of every key", async () => {
    const bus = seed(50, 2);
    const out = spySink<{ key: string; n: number }>();
    const stage: StageObject<number, { key: string; n: number }> = {
      name: 'perKey',
      process: (_v, ctx) => {
        ctx.state.set((ctx.state.get<number>() ?? 0) + 1);
        // of(ctx.key) is the very slot ctx.state is.
        expect(ctx.partitionState?.of(ctx.key).get()).toBe(ctx.state.get());
        return undefined;
      },
      end: (ctx) =>
        many(
          [...ctx.partitionState.keys()].map((key) => ({
            key,
            n: ctx.partitionState.of(key).get<number>() ?? 0,
          })),
        ),
    };
    await run(pipeline(source(bus)).pipe(stage).to(out), { logger: silentLogger }).done;
    const counts = Object.fromEntries(out.written.map((r) => [r.value.key, r.value.n]));
    expect(counts).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 5])));
  });

  it("applies the step's error policy to a throwing end, and later steps' policies to end outputs", async () => {
    const bus = seed(10, 1);
    const dlq = spySink<unknown>('dlq');
    const out = spySink<string>();
    const summary = await run(
      pipeline(source(bus))
        .pipe(
          {
            process: () => undefined,
            end: () => {
              throw new Error('end failed');
            },
          },
          { name: 'throws', onError: skip },
        )
        .pipe(
          {
            process: () => undefined,
            end: () => many(['good', 'bad']),
          },
          { name: 'emits' },
        )
        .pipe(
          (v: string) => {
            if (v === 'bad') throw new Error('bad end output');
            return v;
          },
          { name: 'checks', onError: deadLetter(dlq) },
        )
        .to(out),
      { logger: silentLogger },
    ).done;
    expect(summary.metrics.steps.throws?.skipped).toBe(1);
    expect(out.written.map((r) => r.value)).toEqual(['good']);
    expect(dlq.written).toHaveLength(1);
    expect(summary.deadLettered).toBe(1);
  });

  it('fails the run when end throws under the fail policy', async () => {
    const bus = seed(5, 1);
    const handle = run(
      pipeline(source(bus))
        .pipe({
          name: 'broken',
          process: (v: number) => v,
          end: () => Promise.reject(new Error('cannot flush')),
        })
        .to(spySink<number>()),
      { logger: silentLogger },
    );
    await expect(handle.done).rejects.toMatchObject({ code: 'STAGE_FAILED' });
  });

  it('is not called for partitions revoked in a rebalance (their state moves with them)', async () => {
    const bus = seed(40, 4);
    const revoked: number[] = [];
    const endedA: number[] = [];
    const stage = (ended: number[]): StageObject<number, number> => ({
      process: (v) => v,
      end: (ctx) => {
        ended.push(ctx.partition);
        return undefined;
      },
    });
    const a = run(pipeline(source(bus, false)).pipe(stage(endedA)).to(spySink<number>()), {
      logger: silentLogger,
      onEvent: (e) => {
        if (e.type === 'revoked') revoked.push(...e.partitions.map((p) => p.partition));
      },
    });
    await vi.waitFor(() => expect(a.metrics().assigned).toHaveLength(4));
    const b = run(pipeline(source(bus, false)).pipe(stage([])).to(spySink<number>()), {
      logger: silentLogger,
    });
    await vi.waitFor(() => expect(b.metrics().assigned.length).toBeGreaterThan(0));
    await vi.waitFor(() => expect(a.metrics().assigned).toHaveLength(2));
    const kept = a.metrics().assigned.map((p) => p.partition);
    const movedAway = revoked.filter((p) => !kept.includes(p));
    await a.stop();
    await b.stop();
    expect(movedAway).toHaveLength(2);
    // Called once per partition a held at stop, never during the rebalance.
    expect(endedA.sort()).toEqual(kept.sort());
    for (const p of movedAway) expect(endedA).not.toContain(p);
  });
});
