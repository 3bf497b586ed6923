import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EosBarrier } from './eosBarrier.js';

const tp = (partition: number) => ({ topic: 't', partition });
const at = (partition: number, offset: number) => ({ topic: 't', partition, offset });

describe('EosBarrier', () => {
  it('commits only once every delivered record is done', () => {
    const b = new EosBarrier();
    b.delivered(tp(0), 10);
    b.delivered(tp(1), 5);
    expect(b.ready([at(0, 10), at(1, 3)])).toBeUndefined();
    expect(b.ready([at(1, 5)])).toEqual([at(0, 10), at(1, 5)]);
  });

  it('holds deliveries while a commit waits, and lets them go after it', async () => {
    const b = new EosBarrier();
    b.delivered(tp(0), 10);
    expect(b.ready([at(0, 4)])).toBeUndefined();
    let opened = false;
    const waiting = b.open().then(() => {
      opened = true;
    });
    await Promise.resolve();
    expect(opened).toBe(false);
    expect(b.ready([at(0, 10)])).toEqual([at(0, 10)]);
    b.committed();
    await waiting;
    expect(opened).toBe(true);
  });

  it('offers only positions that moved since the last commit', () => {
    const b = new EosBarrier();
    b.delivered(tp(0), 3);
    b.delivered(tp(1), 3);
    expect(b.ready([at(0, 3), at(1, 3)])).toHaveLength(2);
    b.committed();
    b.delivered(tp(1), 7);
    expect(b.ready([at(1, 7)])).toEqual([at(1, 7)]);
  });

  it('does not wait for records of revoked partitions (they were abandoned)', () => {
    const b = new EosBarrier();
    b.delivered(tp(0), 10);
    b.delivered(tp(1), 10);
    b.revoked([tp(1)]);
    expect(b.ready([at(0, 10), at(1, 4)])).toEqual([at(0, 10), at(1, 4)]);
    b.committed();
    // Forgotten after the commit: a later delivery elsewhere does not wait on it.
    b.delivered(tp(0), 12);
    expect(b.ready([at(0, 12)])).toEqual([at(0, 12)]);
  });

  it('never offers a commit that leaves a delivered record behind (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            p: fc.integer({ min: 0, max: 3 }),
            end: fc.integer({ min: 1, max: 50 }),
            done: fc.integer({ min: 0, max: 50 }),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (steps) => {
          const b = new EosBarrier();
          const delivered = new Map<number, number>();
          const done = new Map<number, number>();
          for (const s of steps) {
            const end = Math.max(delivered.get(s.p) ?? 0, s.end);
            delivered.set(s.p, end);
            b.delivered(tp(s.p), end);
            const d = Math.min(end, Math.max(done.get(s.p) ?? 0, s.done));
            done.set(s.p, d);
            const ready = b.ready([at(s.p, d)]);
            const complete = [...delivered].every(([p, e]) => (done.get(p) ?? 0) >= e);
            expect(ready !== undefined).toBe(complete);
            if (ready !== undefined) b.committed();
          }
        },
      ),
    );
  });
});
