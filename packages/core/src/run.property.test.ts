import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deadLetter,
  jsonSerde,
  memoryBus,
  type OutRecord,
  pipeline,
  run,
  type Sink,
  silentLogger,
} from './index.js';

interface Rec {
  readonly p: number;
  readonly o: number;
}

const recorder = (name: string, failOn?: (batch: readonly OutRecord<Rec>[]) => boolean) => {
  const written: OutRecord<Rec>[] = [];
  const sink: Sink<Rec> & { written: OutRecord<Rec>[] } = {
    name,
    written,
    write: async (batch) => {
      await new Promise((r) => setTimeout(r, batch.length % 3));
      if (failOn?.(batch)) throw new Error(`${name} rejected the batch`);
      written.push(...batch);
    },
  };
  return sink;
};

describe('runtime invariants (property-based)', () => {
  it('for random delays and failures: commits never pass unfinished records, order holds per partition, nothing is lost', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }), // partitions
        fc.integer({ min: 1, max: 120 }), // records
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 50 }), // delays
        fc.array(fc.boolean(), { minLength: 1, maxLength: 50 }), // stage failures
        fc.integer({ min: 1, max: 8 }), // concurrency
        fc.integer({ min: 1, max: 40 }), // maxInFlight
        fc.integer({ min: 1, max: 16 }), // batchSize
        async (partitions, n, delays, failures, concurrency, maxInFlight, batchSize) => {
          const bus = memoryBus({ partitions });
          bus.produce(
            'in',
            Array.from({ length: n }, (_, i) => ({ key: `k${i % 7}`, value: i })),
          );
          const input = bus.records('in', jsonSerde<number>());
          const out = recorder('out');
          const dlq = recorder('dlq');
          const finished = () => {
            const s = new Set<string>();
            for (const r of [...out.written, ...dlq.written]) {
              // Dead letters carry the original bytes (a JSON number); outputs a Rec.
              const raw = r.value as Rec | Uint8Array;
              const v =
                raw instanceof Uint8Array ? (JSON.parse(String(Buffer.from(raw))) as number) : raw;
              s.add(typeof v === 'number' ? idOf(input, v) : `${v.p}/${v.o}`);
            }
            return s;
          };
          const violations: string[] = [];
          await run(
            pipeline(
              bus.source({
                serde: jsonSerde<number>(),
                topic: 'in',
                group: 'g',
                stopAtEnd: true,
                maxBatchSize: 7,
              }),
            )
              .pipe(async (v, ctx) => {
                await new Promise((r) => setTimeout(r, delays[v % delays.length]));
                if (failures[v % failures.length] && v % 5 === 0) throw new Error(`fail ${v}`);
                return { p: ctx.partition, o: ctx.offset };
              })
              .to(out),
            {
              logger: silentLogger,
              onError: deadLetter(dlq as Sink<unknown>),
              concurrency,
              maxInFlight,
              batchSize,
              lingerMs: 1,
              commitIntervalMs: 2,
              onEvent: (e) => {
                if (e.type !== 'commit') return;
                const done = finished();
                for (const c of e.offsets) {
                  for (let o = 0; o < c.offset; o++) {
                    if (!done.has(`${c.partition}/${o}`))
                      violations.push(`${c.partition}/${o} < ${c.offset}`);
                  }
                }
              },
            },
          ).done;
          expect(violations).toEqual([]);
          // Every record is either output or dead-lettered, exactly once here (no restarts).
          expect(finished().size).toBe(n);
          expect(out.written.length + dlq.written.length).toBe(n);
          // Per-partition order of outputs follows offsets.
          for (let p = 0; p < partitions; p++) {
            const offsets = out.written.filter((r) => r.value.p === p).map((r) => r.value.o);
            expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
          }
          const committed = await bus.admin.committed('g', 'in');
          for (const c of committed) {
            expect(c.offset).toBe(input.filter((r) => r.partition === c.partition).length);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

function idOf(
  input: readonly { partition: number; offset: number; value: number }[],
  v: number,
): string {
  const r = input.find((x) => x.value === v);
  return r === undefined ? `?${v}` : `${r.partition}/${r.offset}`;
}
