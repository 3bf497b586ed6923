import { jsonSerde, memoryBus, pipeline } from '@tributary/core';
import { expectTypeOf, it } from 'vitest';
import { type IntervalJoined, intervalJoin } from './intervalJoin.js';

interface Quote {
  price: number;
}
interface Outcome {
  won: boolean;
}
const sides = {
  left: { topic: 'quotes', values: jsonSerde<Quote>() },
  right: { topic: 'outcomes', values: jsonSerde<Outcome>() },
  withinMs: 600_000,
};

it('types the right side as R in an inner join and R | undefined in a left join', () => {
  const src = memoryBus().source({ topic: ['quotes', 'outcomes'], group: 'g' });
  pipeline(src)
    .pipe(intervalJoin(sides))
    .pipe((j) => {
      expectTypeOf(j).toEqualTypeOf<IntervalJoined<Quote, Outcome>>();
      return j.right.won && j.left.price;
    });
  pipeline(src)
    .pipe(intervalJoin({ ...sides, kind: 'left' }))
    .pipe((j) => {
      expectTypeOf(j.right).toEqualTypeOf<Outcome | undefined>();
      expectTypeOf(j.left).toEqualTypeOf<Quote>();
      // @ts-expect-error the right side may be missing in a left join
      return j.right.won;
    });
});

it('types each side’s eventTime from its values and reads raw bytes', () => {
  intervalJoin({
    ...sides,
    left: { ...sides.left, eventTime: (q) => q.price },
    right: { ...sides.right, eventTime: (o, ctx) => (o.won ? ctx.timestamp : 0) },
  });
  intervalJoin({
    ...sides,
    // @ts-expect-error a quote has no `won`
    left: { ...sides.left, eventTime: (q) => (q.won ? 1 : 0) },
  });
  // @ts-expect-error the late policy is one of three
  intervalJoin({ ...sides, late: 'later' });
  const decoded = memoryBus().source({ topic: 'x', group: 'g', serde: jsonSerde<Quote>() });
  // @ts-expect-error the join reads the source's raw bytes, not decoded values
  pipeline(decoded).pipe(intervalJoin(sides));
});
