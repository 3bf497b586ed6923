import { mulberry32, type StageContext } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { LabelJoin, type Pending } from './labelJoin.js';

const ctx = {} as StageContext;
const entry = (t: number): Pending<number[], number, number> => ({
  x: [t],
  prediction: 0,
  probability: 0,
  t,
});

/** The join as a plain Map walked from its start: the order every operation must keep. */
class Reference {
  readonly pending = new Map<string, Pending<number[], number, number>>();
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}
  expire(now: number, out: string[]): void {
    for (const [id, p] of this.pending) {
      if (p.t >= now - this.ttlMs) break;
      this.pending.delete(id);
      out.push(id);
    }
  }
  wait(id: string, e: Pending<number[], number, number>): boolean {
    this.pending.delete(id);
    this.pending.set(id, e);
    if (this.pending.size <= this.max) return false;
    this.pending.delete(this.pending.keys().next().value as string);
    return true;
  }
}

describe('LabelJoin (memory)', () => {
  it('expires in arrival order, skipping taken ids and moving a repeated id to its new place', () => {
    const join = new LabelJoin<number[], number, number>(10, 100);
    join.wait(ctx, 'a', entry(0));
    join.wait(ctx, 'b', entry(1));
    join.wait(ctx, 'c', entry(2));
    expect(join.take(ctx, 'b')?.t).toBe(1);
    join.wait(ctx, 'a', entry(3)); // waits again, from now
    const expired: string[] = [];
    join.expire(ctx, false, 12.5, (id) => expired.push(id));
    expect(expired).toEqual(['c']);
    expect(join.snapshot().map((e) => e[0])).toEqual(['a']);
  });

  it('drops the oldest prediction still waiting when full', () => {
    const join = new LabelJoin<number[], number, number>(100, 2);
    join.wait(ctx, 'x', entry(0));
    join.wait(ctx, 'y', entry(1));
    join.take(ctx, 'x');
    expect(join.wait(ctx, 'z', entry(2))).toBe(false);
    expect(join.wait(ctx, 'w', entry(3))).toBe(true);
    expect(join.snapshot().map((e) => e[0])).toEqual(['z', 'w']);
  });

  it('agrees with a Map walked from its start over 20,000 random operations and a restore', () => {
    const random = mulberry32(7);
    const join = new LabelJoin<number[], number, number>(50, 300);
    const ref = new Reference(50, 300);
    let now = 0;
    for (let i = 0; i < 20_000; i++) {
      now += random() * 0.5;
      const id = `t${Math.floor(random() * 600)}`;
      const r = random();
      if (r < 0.6) {
        const e = entry(now);
        expect(join.wait(ctx, id, e)).toBe(ref.wait(id, e));
      } else if (r < 0.8) {
        const got = join.take(ctx, id);
        const want = ref.pending.get(id);
        ref.pending.delete(id);
        expect(got).toEqual(want);
      } else {
        const a: string[] = [];
        const b: string[] = [];
        join.expire(ctx, false, now, (x) => a.push(x));
        ref.expire(now, b);
        expect(a).toEqual(b);
      }
      expect(join.size).toBe(ref.pending.size);
      if (i === 10_000) join.restore(join.snapshot());
    }
    expect(join.snapshot().map((e) => e[0])).toEqual([...ref.pending.keys()]);
  });
});
