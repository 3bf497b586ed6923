import { describe, expect, it, vi } from 'vitest';
import {
  isTributaryError,
  jsonSerde,
  type LearnerSnapshot,
  type Logger,
  type MemoryBus,
  type ModelStore,
  type ModelVersion,
  memoryBus,
  type OutRecord,
  pipeline,
  type RunOptions,
  type RuntimeEvent,
  run,
  type Sink,
  type StageObject,
  silentLogger,
  sleep,
  type TopicPartitionOffset,
} from './index.js';

/** A model store in an array, whose saves and loads can be made to fail. */
function testStore() {
  const saved: ModelVersion[] = [];
  const control = { failSaves: 0, loadError: undefined as unknown, loads: 0 };
  const store: ModelStore = {
    async save(name, snapshot, metadata = {}) {
      if (control.failSaves > 0) {
        control.failSaves--;
        throw new Error('store unavailable');
      }
      const model: ModelVersion = {
        name,
        version: saved.length + 1,
        snapshot: structuredClone(snapshot),
        savedAt: 1000 + saved.length,
        metadata: structuredClone(metadata),
      };
      saved.push(model);
      return model;
    },
    async load(name, version) {
      control.loads++;
      if (control.loadError !== undefined) throw control.loadError;
      const mine = saved.filter((m) => m.name === name);
      return version === undefined ? mine.at(-1) : mine.find((m) => m.version === version);
    },
    async versions(name) {
      return saved.filter((m) => m.name === name).map((m) => m.version);
    },
    subscribe: () => () => {},
  };
  return { store, saved, control };
}

/** Counts every record it sees (its "model"), and tags each with the count so far. */
function counter(): StageObject<number, { v: number; n: number }> & { n: number } {
  return {
    name: 'counter',
    n: 0,
    process(v) {
      this.n++;
      return { v, n: this.n };
    },
    snapshot() {
      return { n: this.n };
    },
    restore(s) {
      this.n = (s as { n: number }).n;
    },
  };
}

function spySink<V>(): Sink<V> & { written: OutRecord<V>[] } {
  const written: OutRecord<V>[] = [];
  return { name: 'spy', written, write: async (batch) => void written.push(...batch) };
}

const produce = (bus: MemoryBus, from: number, count: number) =>
  bus.produce(
    'in',
    Array.from({ length: count }, (_, i) => ({ key: `k${(from + i) % 7}`, value: from + i })),
    { serde: jsonSerde<number>() },
  );

/** One run of the counting flow over `bus` in group `g`; resolves with what it saw. */
async function countingRun(
  bus: MemoryBus,
  options: RunOptions & { stopAtEnd?: boolean; until?: (events: RuntimeEvent[]) => boolean },
) {
  const stage = counter();
  const out = spySink<{ v: number; n: number }>();
  const events: RuntimeEvent[] = [];
  const { stopAtEnd = true, until, ...runOptions } = options;
  const handle = run(
    pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g', stopAtEnd }))
      .pipe(stage)
      .to(out),
    {
      logger: silentLogger,
      commitIntervalMs: 10,
      ...runOptions,
      onEvent: (e) => events.push(e),
    },
  );
  if (until !== undefined) {
    while (!until(events)) await sleep(5);
    await handle.stop();
  }
  const summary = await handle.done;
  return { stage, out, events, summary, metrics: handle.metrics() };
}

const counted = (m: ModelVersion) =>
  ((m.snapshot.state as { stages: Record<string, { n: number }> }).stages.counter as { n: number })
    .n;
const offsetsOf = (m: ModelVersion) => m.metadata.offsets as unknown as TopicPartitionOffset[];
const records = (offsets: readonly TopicPartitionOffset[]) =>
  offsets.reduce((n, o) => n + o.offset, 0);
const ofType = <T extends RuntimeEvent['type']>(events: RuntimeEvent[], type: T) =>
  events.filter((e): e is Extract<RuntimeEvent, { type: T }> => e.type === type);

describe('run(…, { checkpoint })', () => {
  it('saves the stages before each commit, covering at least its offsets, and a second run resumes from the newest', async () => {
    const bus = memoryBus({ partitions: 3 });
    const { store, saved } = testStore();
    produce(bus, 0, 40);
    const first = await countingRun(bus, { checkpoint: { store, name: 'flow' } });
    expect(first.stage.n).toBe(40);
    expect(saved.length).toBeGreaterThan(0);
    // Every commit comes right after a checkpoint that holds at least its records.
    const order = first.events.filter((e) => e.type === 'commit' || e.type === 'checkpoint');
    for (const [i, e] of order.entries()) {
      if (e.type !== 'commit') continue;
      const before = order[i - 1];
      expect(before?.type).toBe('checkpoint');
      if (before?.type !== 'checkpoint') continue;
      const model = saved.find((m) => m.version === before.version) as ModelVersion;
      for (const o of e.offsets) {
        expect(offsetsOf(model)).toContainEqual(o);
      }
      expect(counted(model)).toBeGreaterThanOrEqual(records(offsetsOf(model)));
    }
    const last = saved.at(-1) as ModelVersion;
    expect(counted(last)).toBe(40);
    expect(records(offsetsOf(last))).toBe(40);
    expect(last.snapshot.type).toBe('tributary.checkpoint');
    expect(first.metrics.checkpoints).toMatchObject({
      name: 'flow',
      saved: saved.length,
      failed: 0,
      version: last.version,
    });

    produce(bus, 40, 20);
    const second = await countingRun(bus, { checkpoint: { store, name: 'flow' } });
    expect(ofType(second.events, 'checkpoint')[0]).toMatchObject({
      action: 'restored',
      name: 'flow',
      version: last.version,
    });
    // The count goes on from 40 rather than from zero; only the 20 new records are read.
    expect(second.out.written.map((r) => r.value.n).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => 41 + i),
    );
    expect(counted(saved.at(-1) as ModelVersion)).toBe(60);
  });

  it('an explicit restore wins: the store is not read', async () => {
    const bus = memoryBus({ partitions: 1 });
    const { store, control } = testStore();
    produce(bus, 0, 5);
    const r = await countingRun(bus, {
      checkpoint: { store, name: 'flow' },
      restore: { stages: { counter: { n: 100 } }, state: {}, offsets: [] },
    });
    expect(control.loads).toBe(0);
    expect(r.stage.n).toBe(105);
  });

  it('a failed save is logged, counted and reported, holds its commit back, and the next commit saves again', async () => {
    const bus = memoryBus({ partitions: 2 });
    const { store, saved, control } = testStore();
    control.failSaves = 2;
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
    produce(bus, 0, 30);
    const r = await countingRun(bus, {
      checkpoint: { store, name: 'flow' },
      logger,
      stopAtEnd: false,
      until: (events) => events.some((e) => e.type === 'commit'),
    });
    const errors = ofType(r.events, 'error').map((e) => e.error);
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(isTributaryError(error, 'CHECKPOINT_FAILED')).toBe(true);
    }
    expect(warnings.filter((w) => w.includes('checkpoint flow not saved'))).toHaveLength(2);
    // No commit before the first checkpoint saved; the records still flowed.
    const kinds = r.events.map((e) => e.type).filter((t) => t !== 'assigned');
    expect(kinds.slice(0, 4)).toEqual(['error', 'error', 'checkpoint', 'commit']);
    expect(r.stage.n).toBe(30);
    expect(counted(saved.at(-1) as ModelVersion)).toBe(30);
    expect(r.metrics.checkpoints).toMatchObject({ failed: 2, saved: saved.length });
  });

  it('a failed load fails the run with CHECKPOINT_LOAD_FAILED before the first record', async () => {
    const bus = memoryBus({ partitions: 1 });
    const { store, control } = testStore();
    control.loadError = new Error('topic unreadable');
    produce(bus, 0, 5);
    const r = countingRun(bus, { checkpoint: { store, name: 'flow' } });
    await expect(r).rejects.toMatchObject({
      code: 'CHECKPOINT_LOAD_FAILED',
      details: { name: 'flow' },
    });
    expect(bus.records('in')).toHaveLength(5);
  });

  it("onLoadError 'fresh' starts from fresh stages, reporting the failure", async () => {
    const bus = memoryBus({ partitions: 1 });
    const { store, control } = testStore();
    control.loadError = new Error('topic unreadable');
    produce(bus, 0, 5);
    const r = await countingRun(bus, { checkpoint: { store, name: 'flow', onLoadError: 'fresh' } });
    expect(r.stage.n).toBe(5);
    const [error] = ofType(r.events, 'error');
    expect(isTributaryError(error?.error, 'CHECKPOINT_LOAD_FAILED')).toBe(true);
  });

  it('a version that is not a checkpoint, or that a stage cannot restore, is CHECKPOINT_LOAD_FAILED', async () => {
    const bus = memoryBus({ partitions: 1 });
    const { store } = testStore();
    produce(bus, 0, 5);
    const learner: LearnerSnapshot = {
      type: 'logisticRegression',
      version: 1,
      options: {},
      state: 1,
    };
    await store.save('model', learner);
    await expect(countingRun(bus, { checkpoint: { store, name: 'model' } })).rejects.toMatchObject({
      code: 'CHECKPOINT_LOAD_FAILED',
    });
    await store.save('broken', {
      type: 'tributary.checkpoint',
      version: 1,
      options: {},
      state: { stages: { counter: 'not a count' } },
    });
    const seen: RuntimeEvent[] = [];
    const throwing = counter();
    throwing.restore = () => {
      throw new Error('bad snapshot');
    };
    const handle = run(
      pipeline(
        bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g2', stopAtEnd: true }),
      )
        .pipe(throwing)
        .to(spySink()),
      { logger: silentLogger, checkpoint: { store, name: 'broken' }, onEvent: (e) => seen.push(e) },
    );
    await expect(handle.done).rejects.toMatchObject({
      code: 'CHECKPOINT_LOAD_FAILED',
      details: { name: 'broken', step: 'counter' },
    });
    expect(throwing.n).toBe(0);
    expect(seen.some((e) => e.type === 'checkpoint')).toBe(false);
  });

  it('everyMs: commits in between go without a checkpoint, and stop saves the last one', async () => {
    const bus = memoryBus({ partitions: 2 });
    const { store, saved } = testStore();
    produce(bus, 0, 10);
    let produced = false;
    const r = await countingRun(bus, {
      checkpoint: { store, name: 'flow', everyMs: 60_000 },
      stopAtEnd: false,
      until: (events) => {
        const commits = ofType(events, 'commit').length;
        if (commits >= 1 && !produced) {
          produced = true;
          produce(bus, 10, 10);
        }
        return commits >= 2;
      },
    });
    // The first commit saved one; later ones did not until the stop forced one.
    expect(saved).toHaveLength(2);
    expect(ofType(r.events, 'commit').length).toBeGreaterThanOrEqual(2);
    expect(counted(saved.at(-1) as ModelVersion)).toBe(20);
    expect(records(offsetsOf(saved.at(-1) as ModelVersion))).toBe(20);
  });

  it('a revoke saves a checkpoint before its commit even when everyMs has not passed', async () => {
    const bus = memoryBus({ partitions: 4 });
    const { store, saved } = testStore();
    produce(bus, 0, 20);
    const events: RuntimeEvent[] = [];
    const a = run(
      pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g' }))
        .pipe(counter())
        .to(spySink()),
      {
        logger: silentLogger,
        commitIntervalMs: 10,
        checkpoint: { store, name: 'a', everyMs: 60_000 },
        onEvent: (e) => events.push(e),
      },
    );
    await vi.waitFor(() => expect(ofType(events, 'commit').length).toBeGreaterThan(0));
    // More records, committed without a checkpoint (everyMs), then a second member joins.
    produce(bus, 20, 20);
    await vi.waitFor(() =>
      expect(a.metrics().committed.reduce((n, o) => n + o.offset, 0)).toBe(40),
    );
    expect(saved).toHaveLength(1);
    const b = run(
      pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g' })).to(spySink()),
      { logger: silentLogger },
    );
    await vi.waitFor(() => expect(ofType(events, 'revoked').length).toBeGreaterThan(0));
    await Promise.all([a.stop(), b.stop()]);
    const revokedAt = events.findIndex((e) => e.type === 'revoked');
    const forced = events.findLastIndex((e, i) => i < revokedAt && e.type === 'checkpoint');
    expect(forced).toBeGreaterThan(events.findIndex((e) => e.type === 'commit'));
    expect(saved.length).toBeGreaterThanOrEqual(2);
    expect(counted(saved[1] as ModelVersion)).toBe(40);
  });

  it('rejects invalid checkpoint options with INVALID_OPTION', () => {
    const bus = memoryBus();
    const p = pipeline(bus.source({ topic: 'in', group: 'g' })).to(spySink());
    const { store } = testStore();
    for (const checkpoint of [
      { store, name: '' },
      { store: {} as ModelStore, name: 'x' },
      { store, name: 'x', everyMs: -1 },
      { store, name: 'x', onLoadError: 'retry' as 'fail' },
    ]) {
      expect(() => run(p, { checkpoint })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      );
    }
  });
});
