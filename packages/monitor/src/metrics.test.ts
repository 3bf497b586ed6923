import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import { f1 } from './f1.js';
import { logLoss } from './logLoss.js';
import { mae } from './mae.js';
import type { Metric } from './metric.js';
import { prAuc } from './prAuc.js';
import { precision } from './precision.js';
import { r2 } from './r2.js';
import { recall } from './recall.js';
import { recallAtPrecision } from './recallAtPrecision.js';
import { rmse } from './rmse.js';
import { rocAuc } from './rocAuc.js';
import { rolling } from './rolling.js';

const feed = <Y, P>(m: Metric<Y, P>, ys: readonly Y[], ps: readonly P[]) => {
  for (const [i, y] of ys.entries()) m.update(y, ps[i]!);
  return m.get();
};

describe('classification metrics (hand-computed; sklearn agrees)', () => {
  // tp = 2 (#0, #3), fp = 1 (#1), fn = 2 (#2, #6), tn = 2 (#4, #5)
  const y = [true, false, true, true, false, false, true];
  const p = [true, true, false, true, false, false, false];

  it('accuracy, precision, recall, F1', () => {
    expect(feed(accuracy(), y, p)).toBeCloseTo(4 / 7, 15);
    expect(feed(precision(), y, p)).toBeCloseTo(2 / 3, 15);
    expect(feed(recall(), y, p)).toBeCloseTo(2 / 4, 15);
    expect(feed(f1(), y, p)).toBeCloseTo(4 / 7, 15); // 2·2 / (2·2 + 1 + 2)
  });

  it('supports another positive label and weights', () => {
    const m = precision<string>({ positive: 'fraud' });
    m.update('fraud', 'fraud', 3);
    m.update('ok', 'fraud', 1);
    expect(m.get()).toBe(0.75);
    expect(() => m.update('ok', 'ok', -1)).toThrow(/weight/);
  });

  it('is NaN while undefined', () => {
    expect(accuracy().get()).toBeNaN();
    expect(feed(precision(), [true], [false])).toBeNaN(); // no positive prediction
    expect(feed(rocAuc(), [true, true], [0.2, 0.4])).toBeNaN(); // no negative
  });

  it('ROC AUC counts ties as half; PR AUC is average precision', () => {
    const labels = [true, true, true, false, false, false];
    const scores = [0.9, 0.8, 0.4, 0.7, 0.4, 0.1];
    // positive-negative pairs ranked right: 3 + 3 + (1 + ½ tie) of 9
    expect(feed(rocAuc(), labels, scores)).toBeCloseTo(7.5 / 9, 15);
    // thresholds 0.9, 0.8, 0.4 add ⅓·1 + ⅓·1 + ⅓·(3/5)
    expect(feed(prAuc(), labels, scores)).toBeCloseTo(1 / 3 + 1 / 3 + 0.2, 15);
  });

  it('recall at a target precision takes the best threshold that reaches it', () => {
    const labels = [true, true, false, true, false, true, false];
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0.2];
    // thresholds 0.9, 0.8: precision 1, recall 2/4; 0.6: 3/4 precision, recall 3/4; 0.3: 4/6
    expect(feed(recallAtPrecision(0.9), labels, scores)).toBe(0.5);
    expect(feed(recallAtPrecision(0.75), labels, scores)).toBe(0.75);
    expect(feed(recallAtPrecision(0.6), labels, scores)).toBe(1);
    // a tie group is taken whole: a positive and a negative tied at the top give precision ½
    expect(feed(recallAtPrecision(0.9), [true, false, true], [0.8, 0.8, 0.1])).toBe(0);
    expect(feed(recallAtPrecision(0.9), [false], [0.4])).toBeNaN();
    expect(() => recallAtPrecision(1.5)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('log loss', () => {
    expect(feed(logLoss(), [true, false], [0.8, 0.3])).toBeCloseTo(
      -(Math.log(0.8) + Math.log(0.7)) / 2,
      15,
    );
    expect(feed(logLoss(), [true], [0])).toBeCloseTo(-Math.log(1e-15), 10); // clipped
    expect(() => logLoss().update(true, 1.5)).toThrow(
      expect.objectContaining({ code: 'MONITOR_BAD_VALUE' }),
    );
  });
});

describe('regression metrics (scikit-learn docs example)', () => {
  const y = [3, -0.5, 2, 7];
  const p = [2.5, 0, 2, 8];
  it('MAE, RMSE, R²', () => {
    expect(feed(mae(), y, p)).toBeCloseTo(0.5, 15);
    expect(feed(rmse(), y, p)).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(feed(r2(), y, p)).toBeCloseTo(0.9486081370449679, 12);
    expect(() => mae().update(Number.NaN, 1)).toThrow(
      expect.objectContaining({ code: 'MONITOR_BAD_VALUE' }),
    );
  });
});

describe('rolling', () => {
  it('keeps only the last window of pairs (hand-computed)', () => {
    const m = rolling(accuracy<number>(), 3);
    feed(m, [1, 2, 3, 4], [1, 0, 3, 4]); // hits 1, 0, 1, 1 → last 3: 2/3
    expect(m.get()).toBeCloseTo(2 / 3, 15);
    expect(m.name).toBe('rolling(accuracy,3)');
  });

  it('equals the metric computed afresh over the last window, for every metric', () => {
    const binary: (() => Metric<boolean, boolean>)[] = [accuracy, precision, recall, f1];
    const scored: (() => Metric<boolean, number>)[] = [rocAuc, prAuc, logLoss];
    const regression: (() => Metric<number, number>)[] = [mae, rmse, r2];
    const pairs = fc.array(
      fc.record({
        y: fc.boolean(),
        s: fc.integer({ min: 0, max: 20 }).map((i) => i / 20),
        v: fc.integer({ min: -100, max: 100 }),
        w: fc.integer({ min: -100, max: 100 }),
      }),
      { minLength: 1, maxLength: 80 },
    );
    fc.assert(
      fc.property(pairs, fc.integer({ min: 1, max: 25 }), (xs, window) => {
        const last = xs.slice(-window);
        const same = (a: number, b: number) =>
          // reverting leaves rounding error, relative to the magnitude of the sums
          Number.isNaN(b)
            ? expect(a).toBeNaN()
            : expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
        for (const make of binary) {
          same(
            feed(
              rolling(make(), window),
              xs.map((x) => x.y),
              xs.map((x) => x.s > 0.5),
            ),
            feed(
              make(),
              last.map((x) => x.y),
              last.map((x) => x.s > 0.5),
            ),
          );
        }
        for (const make of scored) {
          same(
            feed(
              rolling(make(), window),
              xs.map((x) => x.y),
              xs.map((x) => x.s),
            ),
            feed(
              make(),
              last.map((x) => x.y),
              last.map((x) => x.s),
            ),
          );
        }
        for (const make of regression) {
          same(
            feed(
              rolling(make(), window),
              xs.map((x) => x.v),
              xs.map((x) => x.w),
            ),
            feed(
              make(),
              last.map((x) => x.v),
              last.map((x) => x.w),
            ),
          );
        }
      }),
    );
  });
});

describe('metric snapshots', () => {
  it('restore to the same value and go on identically', () => {
    const makers: (() => Metric<boolean, number>)[] = [
      rocAuc,
      prAuc,
      () => recallAtPrecision(0.9),
      logLoss,
      () => rolling(rocAuc(), 4),
    ];
    for (const make of makers) {
      const a = make();
      feed(a, [true, false, true, false, true], [0.9, 0.2, 0.6, 0.7, 0.4]);
      const b = make();
      b.restore(JSON.parse(JSON.stringify(a.snapshot())));
      a.update(false, 0.5);
      b.update(false, 0.5);
      expect(b.get()).toBe(a.get());
    }
    expect(() => accuracy().restore(rmse().snapshot())).toThrow(
      expect.objectContaining({ code: 'MONITOR_SNAPSHOT_INVALID' }),
    );
  });
});
