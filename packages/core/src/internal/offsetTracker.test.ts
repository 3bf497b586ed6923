import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OffsetTracker } from './offsetTracker.js';

describe('OffsetTracker', () => {
  it('commits just past the longest done prefix, across gaps in offsets', () => {
    const t = new OffsetTracker();
    const seqs = [10, 11, 15, 16].map((o) => t.add(o));
    expect(t.committable()).toBe(10);
    t.complete(seqs[1] as number);
    expect(t.committable()).toBe(10);
    t.complete(seqs[0] as number);
    expect(t.committable()).toBe(12);
    t.complete(seqs[3] as number);
    expect(t.committable()).toBe(12);
    t.complete(seqs[2] as number);
    expect(t.committable()).toBe(17);
    expect(t.pending()).toBe(0);
  });

  it('grows past its initial capacity and keeps the done prefix right', () => {
    const t = new OffsetTracker();
    const seqs = Array.from({ length: 5000 }, (_, i) => t.add(i * 2));
    // Finish all but the first, in reverse: nothing may be committed past offset 0.
    for (let i = seqs.length - 1; i >= 1; i--) t.complete(seqs[i] as number);
    expect(t.committable()).toBe(0);
    expect(t.pending()).toBe(5000);
    t.complete(seqs[0] as number);
    expect(t.committable()).toBe(2 * 4999 + 1);
    expect(t.pending()).toBe(0);
    // Slots are reused after a wrap: a new record is pending, not done.
    const next = t.add(20_000);
    expect(t.committable()).toBe(2 * 4999 + 1);
    t.complete(next);
    expect(t.committable()).toBe(20_001);
  });

  it('never passes an unfinished record, for any completion order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3000, size: 'max' }),
        fc.infiniteStream(fc.nat()),
        (gaps, picks) => {
          const t = new OffsetTracker();
          let offset = 0;
          const open: { seq: number; offset: number }[] = [];
          for (const gap of gaps) {
            offset += gap;
            open.push({ seq: t.add(offset), offset });
          }
          const done = new Set<number>();
          const it = picks[Symbol.iterator]();
          while (open.length > 0) {
            const i = (it.next().value as number) % open.length;
            const [r] = open.splice(i, 1);
            if (r === undefined) continue;
            t.complete(r.seq);
            done.add(r.offset);
            const at = t.committable();
            // The commit point never passes a record still open.
            let lowest = Number.POSITIVE_INFINITY;
            for (const o of open) lowest = Math.min(lowest, o.offset);
            if (at > lowest) throw new Error(`committed ${at} past open offset ${lowest}`);
          }
          expect(t.committable()).toBe(offset + 1);
        },
      ),
      { numRuns: 50 },
    );
  });
});
