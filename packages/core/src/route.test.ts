import { describe, expect, it } from 'vitest';
import {
  DeadLetterHeaders,
  deadLetter,
  isTributaryError,
  jsonSerde,
  memoryBus,
  type OutRecord,
  pipeline,
  run,
  type Sink,
  silentLogger,
  skip,
  to,
  when,
} from './index.js';

interface Scored {
  readonly kind: 'score';
  readonly id: number;
  readonly p: number;
}
interface Drift {
  readonly kind: 'drift';
  readonly at: number;
}
interface Alert {
  readonly id: number;
  readonly level: 'high' | 'low';
}

/** A sink that keeps what it is given. */
function keep<V>(name: string): Sink<V> & { readonly written: OutRecord<V>[] } {
  const written: OutRecord<V>[] = [];
  return { name, written, write: async (batch) => void written.push(...batch) };
}

/** Ten records 0..9 on one partition, keyed `k0`..`k9`, with a header and a timestamp each. */
function seeded() {
  const bus = memoryBus({ partitions: 1 });
  bus.produce(
    'in',
    Array.from({ length: 10 }, (_, i) => ({
      key: `k${i}`,
      value: i,
      headers: { trace: `t${i}` },
      timestamp: 1000 + i,
    })),
    { serde: jsonSerde<number>() },
  );
  const scored = pipeline(
    bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g', stopAtEnd: true }),
  ).pipe((i): Scored | Drift =>
    i === 5 ? { kind: 'drift', at: i } : { kind: 'score', id: i, p: i / 10 },
  );
  return { bus, scored };
}

const alertOf = (s: Scored): Alert => ({ id: s.id, level: s.p >= 0.7 ? 'high' : 'low' });

describe('routes that map', () => {
  it('when(guard, map, sink) reshapes only the matching outputs, keeping key, headers and timestamp', async () => {
    const { scored } = seeded();
    const all = keep<Scored | Drift>('all');
    const alerts = keep<Alert>('alerts');
    const summary = await run(
      scored.to(
        all,
        when((o): o is Scored => o.kind === 'score' && o.p >= 0.6, alertOf, alerts),
      ),
      { logger: silentLogger },
    ).done;
    expect(all.written).toHaveLength(10);
    expect(alerts.written.map((r) => r.value)).toEqual([
      { id: 6, level: 'low' },
      { id: 7, level: 'high' },
      { id: 8, level: 'high' },
      { id: 9, level: 'high' },
    ]);
    expect(alerts.written.map((r) => [r.key, r.headers.trace, r.timestamp])).toEqual([
      ['k6', 't6', 1006],
      ['k7', 't7', 1007],
      ['k8', 't8', 1008],
      ['k9', 't9', 1009],
    ]);
    // The map sees its own copy: the other route still gets the output itself.
    expect(all.written[6]?.value).toEqual({ kind: 'score', id: 6, p: 0.6 });
    expect(summary.metrics.sinks.alerts).toMatchObject({ written: 4, filtered: 6, errors: 0 });
  });

  it('calls the map only for outputs that pass the predicate, with the record context', async () => {
    const { scored } = seeded();
    const seen: [number, number][] = [];
    await run(
      scored.to(
        when(
          (o): o is Drift => o.kind === 'drift',
          (d, ctx) => {
            seen.push([d.at, ctx.offset]);
            return `drift at ${d.at}`;
          },
          keep<string>('drifts'),
        ),
      ),
      { logger: silentLogger },
    ).done;
    expect(seen).toEqual([[5, 5]]);
  });

  it('to(sink, { map }) reshapes every output', async () => {
    const { scored } = seeded();
    const kinds = keep<string>('kinds');
    await run(scored.to(to(kinds, { map: (o) => o.kind })), { logger: silentLogger }).done;
    expect(kinds.written.map((r) => r.value)).toEqual([
      ...Array(5).fill('score'),
      'drift',
      ...Array(4).fill('score'),
    ]);
  });

  it("dead-letters a record whose map throws under the route's policy, with the reason; other routes still get it", async () => {
    const { bus, scored } = seeded();
    const all = keep<Scored | Drift>('all');
    const alerts = keep<Alert>('alerts');
    const dlq = keep<unknown>('dlq');
    const summary = await run(
      scored.to(
        all,
        when(
          (o) => o.kind === 'score',
          (s) => {
            if (s.id === 3) throw Object.assign(new Error('no alert for 3'), { code: 'E_ALERT' });
            return alertOf(s);
          },
          alerts,
          { onError: deadLetter(dlq) },
        ),
      ),
      { logger: silentLogger },
    ).done;
    expect(alerts.written.map((r) => r.value.id)).toEqual([0, 1, 2, 4, 6, 7, 8, 9]);
    expect(all.written).toHaveLength(10);
    expect(dlq.written).toHaveLength(1);
    const dead = dlq.written[0] as OutRecord<unknown>;
    expect(dead.key).toBe('k3');
    expect(dead.headers.trace).toBe('t3');
    expect(dead.headers[DeadLetterHeaders.stage]).toBe('alerts');
    expect(dead.headers[DeadLetterHeaders.message]).toBe('no alert for 3');
    expect(dead.headers[DeadLetterHeaders.code]).toBe('E_ALERT');
    expect(dead.headers[DeadLetterHeaders.offset]).toBe('3');
    expect(summary.metrics.sinks.alerts).toMatchObject({ errors: 1, deadLettered: 1, written: 8 });
    // The dead-lettered record counts as done: every offset is committed.
    expect(await bus.admin.committed('g', 'in')).toEqual([
      { topic: 'in', partition: 0, offset: 10 },
    ]);
  });

  it('skips a record whose map throws under the skip policy, and fails the run by default', async () => {
    const throwing = (o: Scored | Drift): string => {
      if (o.kind === 'drift') throw new Error('cannot map a drift');
      return o.kind;
    };
    const skipped = seeded();
    const kinds = keep<string>('kinds');
    const summary = await run(skipped.scored.to(to(kinds, { map: throwing, onError: skip })), {
      logger: silentLogger,
    }).done;
    expect(kinds.written).toHaveLength(9);
    expect(summary.metrics.sinks.kinds).toMatchObject({ errors: 1, skipped: 1 });

    const failing = seeded();
    const error = await run(failing.scored.to(to(keep<string>('kinds'), { map: throwing })), {
      logger: silentLogger,
    }).done.catch((e: unknown) => e);
    expect(isTributaryError(error, 'SINK_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/kinds failed on in\/0@5: cannot map a drift/);
    const committed = await failing.bus.admin.committed('g', 'in');
    expect(committed.every((c) => c.offset <= 5)).toBe(true);
  });
});
