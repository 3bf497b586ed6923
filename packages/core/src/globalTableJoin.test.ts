import { describe, expect, it } from 'vitest';
import type { SourceOptions } from './bus.js';
import { globalTableJoin } from './globalTableJoin.js';
import { memoryBus } from './memoryBus.js';
import { pipeline } from './pipeline.js';
import { run } from './run.js';
import { type Bytes, jsonSerde } from './serde.js';
import type { Source, SourceListener } from './source.js';
import type { TableJoined } from './tableJoin.js';

interface Pay {
  amount: number;
}
interface Card {
  tier: string;
}

describe('globalTableJoin', () => {
  it('reads every partition of the table before the first record, whatever the stream partitions', async () => {
    const bus = memoryBus({ partitions: 4 });
    // The table has 2 partitions, the stream 4: not co-partitioned.
    await bus.admin.ensureTopics([{ topic: 'cards', partitions: 2 }]);
    const cards = Array.from({ length: 8 }, (_, i) => ({ key: `c${i}`, value: { tier: `t${i}` } }));
    bus.produce('cards', [...cards, { key: 'c7', value: null }]);
    const pays = Array.from({ length: 9 }, (_, i) => ({ key: `c${i}`, value: { amount: i } }));
    bus.produce('payments', pays, { serde: jsonSerde<Pay>() });

    const outputs = async (kind: 'inner' | 'left') => {
      const out = `out-${kind}`;
      const join =
        kind === 'left'
          ? globalTableJoin<Pay, Card>({ bus, table: 'cards', rows: jsonSerde<Card>(), kind })
          : globalTableJoin<Pay, Card>({ bus, table: 'cards', rows: jsonSerde<Card>() });
      const source = bus.source({
        topic: 'payments',
        group: kind,
        serde: jsonSerde<Pay>(),
        stopAtEnd: true,
      });
      await run(
        pipeline(source)
          .pipe(join)
          .to(bus.sink({ topic: out })),
      ).done;
      return bus
        .records(out, jsonSerde<TableJoined<Pay, Card | undefined>>())
        .map((r) => `${r.value.value.amount} ${r.value.row?.tier ?? '-'}`)
        .sort();
    };
    expect(await outputs('inner')).toEqual([
      '0 t0',
      '1 t1',
      '2 t2',
      '3 t3',
      '4 t4',
      '5 t5',
      '6 t6',
    ]);
    expect(await outputs('left')).toEqual([
      '0 t0',
      '1 t1',
      '2 t2',
      '3 t3',
      '4 t4',
      '5 t5',
      '6 t6',
      '7 -',
      '8 -',
    ]);
  });

  it('fails with TABLE_CATCH_UP_TIMEOUT when the table source never reports that it caught up', async () => {
    const bus = memoryBus({ partitions: 1 });
    bus.produce('cards', [{ key: 'c0', value: { tier: 'gold' } }]);
    // A source that delivers records but never learns where the table ends.
    const source = bus.source.bind(bus) as (
      options: SourceOptions<Bytes, Bytes>,
    ) => Source<Bytes, Bytes>;
    bus.source = ((options: SourceOptions<Bytes, Bytes>) => {
      const s = source(options);
      const start = (listener: SourceListener<Bytes>) => {
        const { caughtUp: _never, ...rest } = listener;
        return s.start(rest);
      };
      return { ...s, start };
    }) as typeof bus.source;
    const join = globalTableJoin({
      bus,
      table: 'cards',
      rows: jsonSerde<Card>(),
      catchUpTimeoutMs: 50,
    });
    await expect(join.open?.({ stage: 'join', log: console } as never)).rejects.toMatchObject({
      code: 'TABLE_CATCH_UP_TIMEOUT',
      details: { table: 'cards', ends: [{ partition: 0, offset: 1 }], read: { 0: 1 } },
    });
  });

  it('rejects a missing table with INVALID_OPTION', () => {
    expect(() => globalTableJoin({ bus: memoryBus(), table: '', rows: jsonSerde<Card>() })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});
