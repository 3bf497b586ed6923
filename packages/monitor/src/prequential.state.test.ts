import {
  jsonSerde,
  type MemoryBus,
  memoryBus,
  memoryStateStore,
  pipeline,
  run,
  type StageContext,
  type StateStore,
  silentLogger,
} from '@tributary/core';
import { describe, expect, it, vi } from 'vitest';
import { baseRateModel } from './internal/testModel.js';
import { prequential } from './prequential.js';
import type { Evaluation, PrequentialOptions, PrequentialOutput } from './prequentialOptions.js';

/** A transaction to predict on, or the late label of one (same record key: the card). */
type Event =
  | { kind: 'tx'; id: string; t: number }
  | { kind: 'label'; id: string; fraud: boolean; t: number };
const events = jsonSerde<Event>();
const MIN = 60_000;
const x = new Float64Array([1]);

const options = (
  extra: Partial<
    Pick<
      PrequentialOptions<Event, Float64Array, boolean, boolean>,
      'pending' | 'predictionTopic' | 'ttlMs' | 'maxPending' | 'expiredLabel'
    >
  > = {},
) =>
  prequential({
    model: baseRateModel(),
    features: () => x,
    id: (v: Event) => (v.kind === 'tx' ? v.id : undefined),
    lateLabel: (v: Event) => (v.kind === 'label' ? { id: v.id, label: v.fraud } : undefined),
    eventTime: (v: Event) => v.t,
    emitEvaluations: true,
    pending: 'state',
    ...extra,
  });

/**
 * A store whose state outlives each member, as a changelog's does: members share it, and a
 * revoke or the end of a run keeps what they wrote.
 */
const lasting = (): StateStore => ({ ...memoryStateStore(), async revoke() {}, async close() {} });

/** A new store holding `from`'s state of `tps` through JSON, as a changelog topic holds it. */
const throughJson = (from: StateStore, tps: readonly { topic: string; partition: number }[]) => {
  const to = lasting();
  for (const tp of tps) to.restore(tp, JSON.parse(JSON.stringify(from.snapshot(tp))));
  return to;
};

const member = (
  bus: MemoryBus,
  stage: ReturnType<typeof options>,
  state: StateStore,
  topic: string | string[] = ['tx', 'labels'],
) =>
  run(
    pipeline(bus.source({ topic, group: 'eval', serde: events }))
      .pipe(stage)
      .to(bus.sink({ topic: 'out' })),
    { state, logger: silentLogger },
  );

const evaluations = (bus: MemoryBus) =>
  bus
    .records('out', jsonSerde<PrequentialOutput<Event, boolean, boolean>>())
    .map((r) => r.value)
    .filter((o): o is Evaluation<boolean, boolean> => o.type === 'evaluation')
    .map((o) => `${o.id} ${o.label} ${o.delayMs}`)
    .sort();

const keys = Array.from({ length: 8 }, (_, i) => `card${i}`);
const txs = keys.map((key, i) => ({
  key,
  value: { kind: 'tx', id: `t${i}`, t: i * MIN } as Event,
}));
const labels = keys.map((key, i) => ({
  key,
  value: { kind: 'label', id: `t${i}`, fraud: i % 2 === 0, t: i * MIN + 5 * MIN } as Event,
}));
const joined = keys.map((_, i) => `t${i} ${i % 2 === 0} ${5 * MIN}`).sort();

/** A context made by hand for `key` on `partition`, with its keyed state in `slots`. */
function handMade(slots: Map<string, unknown>, partition: number, key: string): StageContext {
  const of = (k: string | null) => ({
    get: <T>() => slots.get(`${partition}/${k}`) as T | undefined,
    set: (v: unknown) => void slots.set(`${partition}/${k}`, v),
    delete: () => void slots.delete(`${partition}/${k}`),
  });
  return {
    topic: 't',
    partition,
    offset: 0,
    key,
    timestamp: 0,
    headers: {},
    state: of(key),
    partitionState: {
      of: (k) => of(k as string),
      keys: () =>
        [...slots.keys()]
          .filter((s) => s.startsWith(`${partition}/`))
          .map((s) => s.slice(String(partition).length + 1)),
    },
    log: silentLogger,
    count() {},
    signal: new AbortController().signal,
  };
}

describe("prequential with pending: 'state'", () => {
  it('a partition moved to another member takes its pending predictions with it', async () => {
    const bus = memoryBus({ partitions: 2 });
    const store = lasting();
    bus.produce('tx', txs, { serde: events });
    const stageA = options({ predictionTopic: 'tx' });
    const stageB = options({ predictionTopic: 'tx' });
    const a = member(bus, stageA, store);
    await vi.waitFor(() => expect(a.metrics().recordsDone).toBe(keys.length));
    expect(stageA.stats().pending).toBe(keys.length);
    const b = member(bus, stageB, store);
    await vi.waitFor(() => expect(b.metrics().assigned).toHaveLength(2));
    await vi.waitFor(() => expect(a.metrics().assigned).toHaveLength(2));
    bus.produce('labels', labels, { serde: events });
    await vi.waitFor(() => expect(evaluations(bus)).toHaveLength(keys.length));
    await a.stop();
    await b.stop();
    expect(evaluations(bus)).toEqual(joined);
    // b predicted on nothing: what it joined had waited in a's state of the moved partition.
    expect(stageB.stats().predictions).toBe(0);
    expect(stageB.stats().learned).toBeGreaterThan(0);
    expect(stageA.stats().learned + stageB.stats().learned).toBe(keys.length);
    expect(stageA.stats().labelsUnmatched + stageB.stats().labelsUnmatched).toBe(0);
  });

  it('a restart restores the pending predictions from the state store', async () => {
    const bus = memoryBus({ partitions: 2 });
    const store = lasting();
    bus.produce('tx', txs, { serde: events });
    const first = member(bus, options({ predictionTopic: 'tx' }), store);
    await vi.waitFor(() => expect(first.metrics().recordsDone).toBe(keys.length));
    await first.stop();
    const tps = [0, 1].map((partition) => ({ topic: 'tx', partition }));
    const stage = options({ predictionTopic: 'tx' });
    const second = member(bus, stage, throughJson(store, tps));
    bus.produce('labels', labels, { serde: events });
    await vi.waitFor(() => expect(stage.stats().learned).toBe(keys.length));
    await second.stop();
    expect(evaluations(bus)).toEqual(joined);
    expect(stage.stats()).toMatchObject({ predictions: 0, pending: 0, labelsUnmatched: 0 });
  });

  it("waiting predictions in 'memory' are lost on the same restart (the default)", async () => {
    const bus = memoryBus({ partitions: 2 });
    const store = lasting();
    bus.produce('tx', txs, { serde: events });
    const first = member(bus, options({ pending: 'memory' }), store);
    await vi.waitFor(() => expect(first.metrics().recordsDone).toBe(keys.length));
    await first.stop();
    const stage = options({ pending: 'memory' });
    const second = member(bus, stage, store);
    bus.produce('labels', labels, { serde: events });
    await vi.waitFor(() => expect(stage.stats().labelsUnmatched).toBe(keys.length));
    await second.stop();
    expect(stage.stats().learned).toBe(0);
  });

  it('expires by event time per partition and bounds each partition by maxPending', async () => {
    const bus = memoryBus({ partitions: 1 });
    const stage = options({ ttlMs: 10 * MIN, maxPending: 3, expiredLabel: false });
    const tx = (id: string, t: number, key = 'c') => ({
      key,
      value: { kind: 'tx', id, t } as Event,
    });
    bus.produce(
      'one',
      [
        tx('a', 0, 'c1'),
        tx('b', 1 * MIN, 'c2'),
        tx('c', 2 * MIN, 'c1'),
        tx('d', 3 * MIN, 'c3'), // a fourth: the oldest, a, is dropped
        // a label of the wrong key finds nothing: keys must match
        { key: 'c9', value: { kind: 'label', id: 'b', fraud: true, t: 4 * MIN } as Event },
        { key: 'c2', value: { kind: 'label', id: 'b', fraud: true, t: 4 * MIN } as Event },
        // 12.5 min: c (2 min) waited over 10 min and expires as legitimate; d (3 min) still waits
        tx('e', 12.5 * MIN, 'c2'),
        { key: 'c1', value: { kind: 'label', id: 'c', fraud: true, t: 12.5 * MIN } as Event },
      ],
      { serde: events },
    );
    const h = member(bus, stage, memoryStateStore(), 'one');
    await vi.waitFor(() => expect(h.metrics().recordsDone).toBe(8));
    await h.stop();
    expect(stage.stats()).toMatchObject({
      predictions: 5,
      learned: 2,
      pending: 2,
      pendingDropped: 1,
      labelsExpired: 1,
      labelsUnmatched: 2,
    });
    expect(evaluations(bus)).toEqual([`b true ${3 * MIN}`, `c false ${10.5 * MIN}`]);
  });

  it('a label of another partition number never sees the prediction (co-partitioning is required)', () => {
    const stage = options();
    const slots = new Map<string, unknown>();
    const ctx = (partition: number, key: string) => handMade(slots, partition, key);
    stage.process({ kind: 'tx', id: 'a', t: 0 }, ctx(0, 'k'));
    expect(stage.process({ kind: 'label', id: 'a', fraud: true, t: 1 }, ctx(1, 'k'))).toBe(
      undefined,
    );
    expect(stage.stats()).toMatchObject({ pending: 1, labelsUnmatched: 1 });
    expect(stage.process({ kind: 'label', id: 'a', fraud: true, t: 1 }, ctx(0, 'k'))).toMatchObject(
      {
        type: 'evaluation',
        id: 'a',
      },
    );
    expect(slots.has('0/k')).toBe(false);
  });

  it('checks the options, and needs a runtime context', () => {
    expect(() => options({ pending: 'disk' as 'state' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => options({ pending: 'memory', predictionTopic: 'tx' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    // A context made by hand, without the runtime's partition state.
    const { partitionState: _, ...bare } = handMade(new Map(), 0, 'k');
    expect(() => options().process({ kind: 'tx', id: 'a', t: 0 }, bare)).toThrow(
      expect.objectContaining({ code: 'INVALID_PIPELINE' }),
    );
  });
});
