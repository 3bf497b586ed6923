import { type StageContext, silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import type { DriftDetector } from './driftDetector.js';
import { baseRateModel } from './internal/testModel.js';
import { logLoss } from './logLoss.js';
import { prequential } from './prequential.js';
import { rocAuc } from './rocAuc.js';

const counters: Record<string, number> = {};
let offset = 0;
const ctx = (timestamp = 0): StageContext => ({
  topic: 'in',
  partition: 0,
  offset: offset++,
  key: null,
  timestamp,
  headers: {},
  state: { get: () => undefined, set() {}, delete() {} },
  log: silentLogger,
  count(m, by = 1) {
    counters[m] = (counters[m] ?? 0) + by;
  },
  signal: new AbortController().signal,
});
const items = (r: unknown): unknown[] =>
  r === undefined
    ? []
    : typeof r === 'object' && r !== null && 'items' in r
      ? [...(r as { items: unknown[] }).items]
      : [r];
const x = new Float64Array([1]);

interface Tx {
  x: Float64Array;
  y?: boolean;
}

type TxOrLabel = { kind: 'tx'; id: string } | { kind: 'label'; id: string };

/** Transactions wait 10 s for a late label; expired ones are learnt as false and output. */
const expiringStage = () =>
  prequential({
    model: baseRateModel(),
    features: () => x,
    id: (v: TxOrLabel) => v.id,
    lateLabel: (v) => (v.kind === 'label' ? { id: v.id, label: true } : undefined),
    ttlMs: 10_000,
    expiredLabel: false,
    metrics: [accuracy()],
    emitEvaluations: true,
  });

describe('prequential (test-then-train)', () => {
  it('predicts before learning each label (hand-computed)', () => {
    const stage = prequential({
      model: baseRateModel(),
      features: (v: Tx) => v.x,
      label: (v) => v.y,
      metrics: [accuracy(), logLoss()],
    });
    const probs = [true, true, false, true].map((y) => {
      const [p] = items(stage.process({ x, y }, ctx())) as {
        prediction: boolean;
        probability: number;
      }[];
      return [p!.prediction, p!.probability];
    });
    // P(true) before each label: 1/2, 2/3, 3/4, 3/5 → all predict true; the third is wrong
    expect(probs).toEqual([
      [true, 0.5],
      [true, 2 / 3],
      [true, 0.75],
      [true, 0.6],
    ]);
    const m = stage.metrics();
    expect(m.accuracy).toBe(0.75);
    expect(m.logLoss).toBeCloseTo(
      -(Math.log(0.5) + Math.log(2 / 3) + Math.log(0.25) + Math.log(0.6)) / 4,
      15,
    );
    expect(stage.stats()).toMatchObject({ predictions: 4, learned: 4, pending: 0 });
  });

  it('prequential<Input>() returns a builder of the same stage as prequential(options)', () => {
    const build = prequential<Tx>();
    expect(typeof build).toBe('function');
    const curried = build({ model: baseRateModel(), features: (v) => v.x, label: (v) => v.y });
    const direct = prequential({
      model: baseRateModel(),
      features: (v: Tx) => v.x,
      label: (v) => v.y,
    });
    const labels = [true, false, true, true, undefined, false];
    const outputs = (stage: typeof direct) =>
      labels.map((y) => items(stage.process(y === undefined ? { x } : { x, y }, ctx())));
    const got = outputs(curried);
    expect(got).toEqual(outputs(direct));
    expect(got.flat()).toHaveLength(labels.length);
    expect(curried.stats()).toEqual(direct.stats());
    expect(curried.stats().learned).toBe(5);
  });

  it('joins labels that come later by id, within the TTL of event time', () => {
    type Rec =
      | { kind: 'tx'; id: string; x: Float64Array }
      | { kind: 'label'; id: string; y: boolean };
    const stage = prequential({
      model: baseRateModel(),
      features: (v: Rec) => (v.kind === 'tx' ? v.x : x),
      id: (v) => v.id,
      lateLabel: (v) => (v.kind === 'label' ? { id: v.id, label: v.y } : undefined),
      ttlMs: 10_000,
      metrics: [accuracy()],
      emitEvaluations: true,
    });
    expect(items(stage.process({ kind: 'tx', id: 'a', x }, ctx(0)))).toEqual([
      {
        type: 'prediction',
        id: 'a',
        value: { kind: 'tx', id: 'a', x },
        prediction: true,
        probability: 0.5,
      },
    ]);
    stage.process({ kind: 'tx', id: 'b', x }, ctx(1000));
    expect(stage.stats().pending).toBe(2);
    expect(items(stage.process({ kind: 'label', id: 'a', y: false }, ctx(5000)))).toEqual([
      { type: 'evaluation', id: 'a', label: false, prediction: true, delayMs: 5000 },
    ]);
    expect(stage.process({ kind: 'label', id: 'nope', y: true }, ctx(5000))).toBeUndefined();
    // at 12000, b (1000) is older than the 10 s TTL: expired and counted
    stage.process({ kind: 'tx', id: 'c', x }, ctx(12_000));
    expect(stage.process({ kind: 'label', id: 'b', y: true }, ctx(13_000))).toBeUndefined();
    expect(stage.stats()).toEqual({
      predictions: 3,
      learned: 1,
      pending: 1,
      labelsExpired: 1,
      labelsUnmatched: 2,
      pendingDropped: 0,
      drifts: 0,
    });
    expect(stage.metrics().accuracy).toBe(0);
    // c was predicted after learning one `false`: P(true) = 1/3
    expect((stage.model as ReturnType<typeof baseRateModel>).n).toBe(1);
  });

  it('scores and learns an expired prediction with expiredLabel; a label after that is unmatched', () => {
    const stage = expiringStage();
    stage.process({ kind: 'tx', id: 'a' }, ctx(0));
    stage.process({ kind: 'tx', id: 'b' }, ctx(8000));
    // at 11000, a has waited past the TTL: learnt as false, output with its delay
    expect(items(stage.process({ kind: 'tx', id: 'c' }, ctx(11_000)))).toEqual([
      { type: 'evaluation', id: 'a', label: false, prediction: true, delayMs: 11_000 },
      expect.objectContaining({ type: 'prediction', id: 'c' }),
    ]);
    expect(stage.process({ kind: 'label', id: 'a' }, ctx(12_000))).toBeUndefined();
    expect(items(stage.process({ kind: 'label', id: 'b' }, ctx(12_000)))).toEqual([
      { type: 'evaluation', id: 'b', label: true, prediction: true, delayMs: 4000 },
    ]);
    expect(stage.stats()).toMatchObject({
      predictions: 3,
      learned: 2,
      pending: 1,
      labelsExpired: 1,
      labelsUnmatched: 1,
    });
    expect(stage.metrics().accuracy).toBe(0.5);
  });

  it('an unmatched label still outputs the evaluations its event time expired', () => {
    const stage = expiringStage();
    stage.process({ kind: 'tx', id: 'a' }, ctx(0));
    // A label for an id never predicted, at a time past a's TTL: a is evaluated as false and
    // that evaluation is this call's output, although the label itself matched nothing.
    expect(items(stage.process({ kind: 'label', id: 'zz' }, ctx(11_000)))).toEqual([
      { type: 'evaluation', id: 'a', label: false, prediction: true, delayMs: 11_000 },
    ]);
    expect(stage.stats()).toMatchObject({ labelsExpired: 1, labelsUnmatched: 1, learned: 1 });
  });

  it('bounds waiting predictions with maxPending', () => {
    const stage = prequential({
      model: baseRateModel(),
      features: (v: { id: string }) => (v.id ? x : x),
      id: (v) => v.id,
      maxPending: 2,
    });
    for (const id of ['a', 'b', 'c']) stage.process({ id }, ctx(0));
    expect(stage.stats()).toMatchObject({ pending: 2, pendingDropped: 1 });
  });

  it('outputs a drift event and resets or swaps the model', () => {
    // a stub detector that fires on its 3rd update
    const stub = (): DriftDetector => {
      let n = 0;
      return {
        name: 'stub',
        update() {
          n = n === 3 ? 1 : n + 1;
        },
        get driftDetected() {
          return n === 3;
        },
        warningDetected: false,
        get n() {
          return n;
        },
        reset() {
          n = 0;
        },
        snapshot: () => ({ detector: 'stub', state: n }),
        restore() {},
        clone: stub,
      };
    };
    const first = baseRateModel();
    const stage = prequential({
      model: first,
      features: (v: Tx) => v.x,
      label: (v) => v.y,
      drift: { detector: stub(), onDrift: 'reset' },
    });
    stage.process({ x, y: true }, ctx(10));
    stage.process({ x, y: true }, ctx(20));
    const out = items(stage.process({ x, y: false }, ctx(30)));
    expect(out[1]).toMatchObject({
      type: 'drift',
      monitor: 'prequential',
      detector: 'stub',
      topic: 'in',
      timestamp: 30,
      value: 1, // the 0/1 error: predicted true, label false
      n: 3,
      action: 'reset',
    });
    expect(stage.model).not.toBe(first);
    expect((stage.model as ReturnType<typeof baseRateModel>).n).toBe(0);
    const challenger = baseRateModel();
    const swapping = prequential({
      model: baseRateModel(),
      features: (v: Tx) => v.x,
      label: (v) => v.y,
      drift: { detector: stub(), onDrift: () => challenger },
    });
    for (const y of [true, true, true]) swapping.process({ x, y }, ctx());
    expect(swapping.model).toBe(challenger);
    expect(swapping.stats().drifts).toBe(1);
  });

  it('snapshots model, metrics, detector and waiting predictions, and continues identically', () => {
    type Rec = { id: string; y?: boolean; late?: boolean };
    const make = () =>
      prequential({
        model: baseRateModel(),
        features: () => x,
        id: (v: Rec) => (v.late ? undefined : v.id),
        lateLabel: (v) => (v.late ? { id: v.id, label: v.y! } : undefined),
        metrics: [accuracy(), rocAuc()],
      });
    const a = make();
    a.process({ id: '1' }, ctx(0));
    a.process({ id: '2' }, ctx(0));
    a.process({ id: '1', y: true, late: true }, ctx(0));
    const b = make();
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    const next = (s: ReturnType<typeof make>) =>
      items(s.process({ id: '2', y: false, late: true }, ctx(1)));
    expect(next(b)).toEqual(next(a));
    expect(b.metrics()).toEqual(a.metrics());
    expect(b.stats()).toEqual(a.stats());
  });

  it('fails fast on options that cannot work', () => {
    const noProba = { predict: () => true, learn() {} };
    expect(() => prequential({ model: noProba, features: () => x, metrics: [rocAuc()] })).toThrow(
      /metrics/,
    );
    expect(() =>
      prequential({
        model: noProba,
        features: () => x,
        drift: { detector: {} as DriftDetector, onDrift: 'reset' },
      }),
    ).toThrow(/onDrift/);
    expect(() => prequential({ model: {} as never, features: () => x })).toThrow(/model/);
  });
});
