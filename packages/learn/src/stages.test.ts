import {
  jsonSerde,
  memoryBus,
  pipeline,
  run,
  type StageContext,
  type StageObject,
  silentLogger,
} from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  type BinaryClassifier,
  halfSpaceTrees,
  learnStage,
  logisticRegression,
  memoryModelStore,
  predictStage,
  predictWith,
  publishModel,
  serveModel,
  sgd,
  trainModel,
} from './index.js';

const v = (...xs: number[]) => Float64Array.from(xs);

interface Example {
  readonly x: number;
  readonly label?: boolean;
}

/** A minimal StageContext for calling stages directly. */
function ctx(): StageContext & { counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  return {
    topic: 't',
    partition: 0,
    offset: 0,
    key: null,
    timestamp: 0,
    headers: {},
    state: undefined as unknown as StageContext['state'],
    log: silentLogger,
    count: (metric, by = 1) => {
      counts[metric] = (counts[metric] ?? 0) + by;
    },
    signal: new AbortController().signal,
    counts,
  };
}

const trained = (w: number): BinaryClassifier => {
  const m = logisticRegression({ optimizer: sgd(1), interceptLr: 0 });
  m.learn(v(1), w > 0); // w = ±0.5
  return m;
};

describe('memoryModelStore', () => {
  it('numbers versions per name and loads the latest or a given one', async () => {
    const store = memoryModelStore({ now: () => 42 });
    expect(await store.load('m')).toBeUndefined();
    const a = await store.save('m', trained(1).snapshot(), { note: 'first' });
    const b = await store.save('m', trained(-1).snapshot());
    await store.save('other', trained(1).snapshot());
    expect([a.version, b.version]).toEqual([1, 2]);
    expect(a).toMatchObject({ name: 'm', savedAt: 42, metadata: { note: 'first' } });
    expect((await store.load('m'))?.version).toBe(2);
    expect((await store.load('m', 1))?.snapshot).toEqual(a.snapshot);
    expect(await store.versions('m')).toEqual([1, 2]);
  });

  it('keeps deep copies, and only the last `keep` versions', async () => {
    const store = memoryModelStore({ keep: 2 });
    const snap = trained(1).snapshot();
    await store.save('m', snap);
    (snap.options as Record<string, unknown>).l2 = 99;
    expect((await store.load('m'))?.snapshot.options.l2).toBe(0);
    await store.save('m', snap);
    await store.save('m', snap);
    expect(await store.versions('m')).toEqual([2, 3]);
  });

  it('notifies subscribers of new versions until they unsubscribe; reports a failing one', async () => {
    const store = memoryModelStore();
    const seen: number[] = [];
    const off = store.subscribe('m', (m) => seen.push(m.version));
    await store.save('m', trained(1).snapshot());
    off();
    await store.save('m', trained(1).snapshot());
    expect(seen).toEqual([1]);
    store.subscribe('m', () => {
      throw new Error('boom');
    });
    await expect(store.save('m', trained(1).snapshot())).rejects.toMatchObject({
      code: 'LEARN_STORE_LISTENER_FAILED',
      details: { version: 3 },
    });
    expect(await store.versions('m')).toEqual([1, 2, 3]);
  });
});

describe('predictWith and trainModel', () => {
  it('predict with the model; learn from labelled values and pass every value through', async () => {
    const model = logisticRegression({ optimizer: sgd(1), interceptLr: 0 });
    const predict = predictWith(model, {
      features: (e: Example) => v(e.x),
      predict: (m, x) => m.predictProba(x),
      output: (e, p) => ({ ...e, p }),
    });
    const learn = trainModel(model, {
      features: (e: Example) => v(e.x),
      label: (e) => e.label,
    });
    const c = ctx();
    expect(await predict.process({ x: 1 }, c)).toEqual({ x: 1, p: 0.5 });
    expect(await learn.process({ x: 1, label: true }, c)).toEqual({ x: 1, label: true });
    expect(await learn.process({ x: 1 }, c)).toEqual({ x: 1 });
    expect(c.counts).toEqual({ learned: 1, unlabelled: 1 });
    expect(await predict.process({ x: 1 }, c)).toEqual({ x: 1, p: 1 / (1 + Math.exp(-0.5)) });
    // The learn stage checkpoints the model.
    const copy = model.clone();
    learn.restore?.(learn.snapshot?.());
    copy.restore(model.snapshot());
    expect(copy.predictProba(v(1))).toBe(model.predictProba(v(1)));
  });

  it('learns unsupervised models when no label is given', async () => {
    const hst = halfSpaceTrees({ windowSize: 2 });
    const learn = trainModel(hst, { features: (x: number) => v(x) });
    await learn.process(0.5, ctx());
    await learn.process(0.5, ctx());
    expect(hst.predict(v(0.5))).toBeLessThan(hst.predict(v(0.01)));
  });

  it('keeps the old names as aliases of the same functions', () => {
    expect(predictStage).toBe(predictWith);
    expect(learnStage).toBe(trainModel);
  });
});

describe('publishModel', () => {
  it('saves a version every N records and on close', async () => {
    const store = memoryModelStore();
    const model = trained(1);
    const stage = publishModel<number>(model, { store, model: 'm', every: 2 }) as StageObject<
      number,
      number
    >;
    for (let i = 0; i < 5; i++) expect(await stage.process(i, ctx())).toBe(i);
    expect(await store.versions('m')).toEqual([1, 2]);
    await stage.close?.();
    expect(await store.versions('m')).toEqual([1, 2, 3]);
    expect((await store.load('m'))?.metadata).toEqual({ records: 5 });
  });
});

describe('serveModel', () => {
  const options = (store: ReturnType<typeof memoryModelStore>) => ({
    store,
    model: 'scorer',
    learner: logisticRegression(),
    features: (x: number) => v(x),
    predict: (m: BinaryClassifier, x: Float64Array) => m.predictProba(x),
    output: (x: number, p: number, version: number) => ({ x, p, version }),
  });

  it('fails records with LEARN_NO_MODEL until a version exists, unless told to use the learner', async () => {
    const store = memoryModelStore();
    const stage = serveModel(options(store));
    await stage.open?.({ stage: 'serve', log: silentLogger });
    expect(() => stage.process(1, ctx())).toThrow(
      expect.objectContaining({ code: 'LEARN_NO_MODEL' }),
    );
    const lenient = serveModel({ ...options(store), untrained: 'predict' });
    expect(lenient.process(1, ctx())).toEqual({ x: 1, p: 0.5, version: 0 });
    await store.save('scorer', trained(1).snapshot());
    expect(stage.process(1, ctx())).toMatchObject({ version: 1 });
    await stage.close?.();
  });

  it('keeps serving the previous version when a new one cannot be restored', async () => {
    const store = memoryModelStore();
    await store.save('scorer', trained(1).snapshot());
    const stage = serveModel(options(store));
    await stage.open?.({ stage: 'serve', log: silentLogger });
    await store.save('scorer', halfSpaceTrees().snapshot());
    expect(stage.version).toBe(1);
    expect(stage.process(1, ctx())).toMatchObject({ version: 1 });
  });

  it('swaps to each new version between records without stopping the pipeline', async () => {
    const bus = memoryBus();
    const store = memoryModelStore();
    await store.save('scorer', trained(1).snapshot());
    const handle = run(
      pipeline(bus.source({ serde: jsonSerde<number>(), topic: 'in', group: 'g' }))
        .pipe(serveModel(options(store)))
        .to(bus.sink({ topic: 'out' })),
      { logger: silentLogger, lingerMs: 1 },
    );
    const out = () => bus.records('out', jsonSerde<{ x: number; p: number; version: number }>());
    const until = async (n: number) => {
      for (let i = 0; i < 500 && out().length < n; i++) await new Promise((r) => setTimeout(r, 5));
    };
    bus.produce(
      'in',
      [1, 1, 1].map((value) => ({ value })),
    );
    await until(3);
    await store.save('scorer', trained(-1).snapshot());
    bus.produce(
      'in',
      [1, 1].map((value) => ({ value })),
    );
    await until(5);
    const summary = await handle.stop();
    expect(summary.recordsDone).toBe(5);
    expect(out().map((r) => r.value.version)).toEqual([1, 1, 1, 2, 2]);
    expect(out()[0]!.value.p).toBeGreaterThan(0.5);
    expect(out()[4]!.value.p).toBeLessThan(0.5);
  });
});
