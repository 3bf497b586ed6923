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

  it('never passes an unfinished record, for any completion order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3000 }),
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
            // Every offset below the commit point that was delivered is done...
            for (const o of open) expect(o.offset >= at).toBe(true);
          }
          expect(t.committable()).toBe(offset + 1);
        },
      ),
      { numRuns: 100 },
    );
  });
});
