import { describe, expect, it } from 'vitest';
import { isTributaryError } from './errors.js';
import { memoryBus } from './memoryBus.js';
import { memoryStateStore } from './memoryStateStore.js';
import { pipeline } from './pipeline.js';
import { run } from './run.js';
import { jsonSerde } from './serde.js';
import type { StateStore } from './state.js';
import { type TableJoined, tableJoin } from './tableJoin.js';

interface Pay {
  amount: number;
}
interface Card {
  tier: string;
}

const pays = jsonSerde<Pay>();
const cards = jsonSerde<Card>();

function setup() {
  const bus = memoryBus({ partitions: 3 });
  bus.produce('cards', [
    { key: 'c1', value: { tier: 'gold' } },
    { key: 'c2', value: { tier: 'basic' } },
    { key: 'c3', value: { tier: 'basic' } },
    { key: 'c3', value: null }, // tombstone: c3 has no row any more
  ]);
  return bus;
}

/** Reads the table alone, then, in a second run (a restart), the payments. */
async function joinAfterRestart(kind: 'inner' | 'left') {
  const bus = setup();
  const source = () => bus.source({ topic: ['payments', 'cards'], group: 'j', stopAtEnd: true });
  const stage = () =>
    kind === 'left'
      ? tableJoin({ table: 'cards', stream: pays, rows: cards, kind: 'left' })
      : tableJoin({ table: 'cards', stream: pays, rows: cards });
  // Stands in for a changelog store: what it holds outlives a run, as on Kafka.
  const kept = memoryStateStore();
  const state: StateStore = { ...kept, revoke: async () => {}, close: async () => {} };
  const runOnce = () =>
    run(
      pipeline(source())
        .pipe(stage())
        .to(bus.sink({ topic: 'out' })),
      { state },
    );
  await runOnce().done;
  bus.produce(
    'payments',
    [
      { key: 'c1', value: { amount: 5 } },
      { key: 'c2', value: { amount: 7 } },
      { key: 'c3', value: { amount: 9 } },
      { key: 'c4', value: { amount: 1 } },
    ],
    { serde: pays },
  );
  const second = runOnce();
  await second.done;
  const out = bus.records('out', jsonSerde<TableJoined<Pay, Card | undefined>>());
  return {
    rows: out.map((r) => `${r.key} ${r.value.value.amount} ${r.value.row?.tier ?? '-'}`).sort(),
    unmatched: second.metrics().steps.tableJoin?.custom.unmatched,
  };
}

describe('tableJoin', () => {
  it('inner: joins stream records with their key’s row, restored after a restart, and drops the rest', async () => {
    const { rows, unmatched } = await joinAfterRestart('inner');
    expect(rows).toEqual(['c1 5 gold', 'c2 7 basic']);
    expect(unmatched).toBe(2);
  });

  it('left: keeps stream records without a row, with row undefined', async () => {
    const { rows } = await joinAfterRestart('left');
    expect(rows).toEqual(['c1 5 gold', 'c2 7 basic', 'c3 9 -', 'c4 1 -']);
  });

  it('rejects a missing table or a bad kind with INVALID_OPTION', () => {
    expect(() => tableJoin({ table: '', stream: pays, rows: cards })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    try {
      tableJoin({ table: 't', stream: pays, rows: cards, kind: 'outer' as 'left' });
      expect.unreachable();
    } catch (e) {
      expect(isTributaryError(e, 'INVALID_OPTION')).toBe(true);
    }
  });
});
