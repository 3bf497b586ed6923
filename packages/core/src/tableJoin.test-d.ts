import { expectTypeOf, it } from 'vitest';
import { globalTableJoin } from './globalTableJoin.js';
import { memoryBus } from './memoryBus.js';
import { pipeline } from './pipeline.js';
import { jsonSerde } from './serde.js';
import { type TableJoined, tableJoin } from './tableJoin.js';

interface Pay {
  amount: number;
}
interface Card {
  tier: string;
}
const opts = { table: 'cards', stream: jsonSerde<Pay>(), rows: jsonSerde<Card>() };

it('types the row as T in an inner join and T | undefined in a left join', () => {
  const bus = memoryBus();
  const src = bus.source({ topic: ['payments', 'cards'], group: 'g' });
  pipeline(src)
    .pipe(tableJoin(opts))
    .pipe((j) => {
      expectTypeOf(j).toEqualTypeOf<TableJoined<Pay, Card>>();
      return j.row.tier;
    });
  pipeline(src)
    .pipe(tableJoin({ ...opts, kind: 'left' }))
    .pipe((j) => {
      expectTypeOf(j.row).toEqualTypeOf<Card | undefined>();
      // @ts-expect-error the row may be missing in a left join
      return j.row.tier;
    });
  // @ts-expect-error the join reads the source's raw bytes, not decoded values
  pipeline(bus.source({ topic: 'x', group: 'g', serde: jsonSerde<Pay>() })).pipe(tableJoin(opts));
});

it('types the global join from the decoded stream value', () => {
  const bus = memoryBus();
  const src = bus.source({ topic: 'payments', group: 'g', serde: jsonSerde<Pay>() });
  const rows = jsonSerde<Card>();
  pipeline(src)
    .pipe(globalTableJoin<Pay, Card>({ bus, table: 'cards', rows, kind: 'left' }))
    .pipe((j) => {
      expectTypeOf(j).toEqualTypeOf<TableJoined<Pay, Card | undefined>>();
      return j.value.amount;
    });
  pipeline(src)
    .pipe(globalTableJoin<Pay, Card>({ bus, table: 'cards', rows }))
    .pipe((j) => j.row.tier);
});
