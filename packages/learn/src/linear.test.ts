import fc from 'fast-check';
import { Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  adagrad,
  adam,
  ftrlProximal,
  linearRegression,
  logisticRegression,
  passiveAggressiveClassifier,
  passiveAggressiveRegressor,
  perceptron,
  recursiveLeastSquares,
  sgd,
} from './index.js';

const v = (...xs: number[]) => Float64Array.from(xs);

describe('logisticRegression', () => {
  it('takes one SGD step by hand: w = -lr·(p − y)·x, b = -interceptLr·(p − y)', () => {
    const m = logisticRegression({ optimizer: sgd(0.1), interceptLr: 0.1 });
    expect(m.predictProba(v(1, 2))).toBe(0.5);
    expect(m.predict(v(1, 2))).toBe(false);
    m.learn(v(1, 2), true);
    const { weights, intercept } = m.linearWeights();
    expect(Array.from(weights)).toEqual([0.05, 0.1]);
    expect(intercept).toBeCloseTo(0.05, 15);
    // sigmoid(0.05 + 0.2 + 0.05)
    expect(m.predictProba(v(1, 2))).toBeCloseTo(1 / (1 + Math.exp(-0.3)), 15);
    expect(m.predict(v(1, 2))).toBe(true);
  });

  it('scales the step by the sample weight', () => {
    const m = logisticRegression({ optimizer: sgd(0.1), interceptLr: 0 });
    m.learn(v(1), true, 3);
    expect(m.linearWeights().weights[0]).toBeCloseTo(0.15, 15);
  });

  it('AdaGrad: first step is lr·sign(g) per weight (g²/sqrt(g²))', () => {
    const m = logisticRegression({ optimizer: adagrad(0.1), interceptLr: 0 });
    m.learn(v(1, 2), true);
    const w = m.linearWeights().weights;
    expect(w[0]).toBeCloseTo(0.1, 6);
    expect(w[1]).toBeCloseTo(0.1, 6);
  });

  it('Adam: the bias-corrected first step is lr·sign(g)', () => {
    const m = logisticRegression({ optimizer: adam(0.1), interceptLr: 0 });
    m.learn(v(1, -3), true);
    const w = m.linearWeights().weights;
    expect(w[0]).toBeCloseTo(0.1, 6);
    expect(w[1]).toBeCloseTo(-0.1, 6);
  });

  it('L1 soft-thresholds small weights to exactly 0; L2 shrinks weights', () => {
    const l1 = logisticRegression({ optimizer: sgd(0.1), interceptLr: 0, l1: 0.6 });
    l1.learn(v(1, 2), true); // raw step [0.05, 0.1], threshold 0.06
    expect(Array.from(l1.linearWeights().weights)).toEqual([0, expect.closeTo(0.04, 15)]);
    const l2 = logisticRegression({ optimizer: sgd(0.1), interceptLr: 0, l2: 1 });
    l2.learn(v(1), true); // w = 0.05
    l2.learn(v(0), true); // gradient is only the penalty: w -= 0.1·1·0.05
    expect(l2.linearWeights().weights[0]).toBeCloseTo(0.045, 15);
  });

  it('clips the loss gradient', () => {
    const m = logisticRegression({ optimizer: sgd(1), interceptLr: 0, clipGradient: 0.1 });
    m.learn(v(1), true);
    expect(m.linearWeights().weights[0]).toBeCloseTo(0.1, 15);
  });

  it('clone() is untrained with the same options', () => {
    const m = logisticRegression({ optimizer: adam(0.05), l2: 0.1 });
    m.learn(v(1, 2), true);
    const c = m.clone();
    expect(c.predictProba(v(1, 2))).toBe(0.5);
    expect(c.snapshot().options).toEqual(m.snapshot().options);
  });

  it('probabilities stay in [0, 1] on any finite stream (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.boolean()), {
          minLength: 1,
          maxLength: 50,
        }),
        (rows) => {
          const m = logisticRegression({ optimizer: sgd(0.5) });
          for (const [x, y] of rows) {
            m.learn(v(x), y);
            const p = m.predictProba(v(x));
            if (!(p >= 0 && p <= 1)) return false;
          }
          return true;
        },
      ),
    );
  });
});

describe('linearRegression', () => {
  it("takes one SGD step by hand, on River's squared loss by default", () => {
    const m = linearRegression({ optimizer: sgd(0.1), interceptLr: 0.1 });
    m.learn(v(2), 4); // g = 2·(0 − 4) → w = 0.1·8·2, b = 0.1·8
    expect(m.linearWeights().weights[0]).toBeCloseTo(1.6, 15);
    expect(m.linearWeights().intercept).toBeCloseTo(0.8, 15);
    expect(m.predict(v(2))).toBeCloseTo(4, 15);
    const half = linearRegression({ optimizer: sgd(0.1), interceptLr: 0.1, loss: 'halfSquared' });
    half.learn(v(2), 4); // g = 0 − 4 → w = 0.1·4·2, b = 0.1·4
    expect(half.linearWeights().weights[0]).toBeCloseTo(0.8, 15);
    expect(half.linearWeights().intercept).toBeCloseTo(0.4, 15);
    expect(() => linearRegression({ loss: 'huber' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('recovers a noiseless linear function', () => {
    const m = linearRegression({ optimizer: sgd(0.05), interceptLr: 0.05 });
    let s = 1;
    const rnd = () => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647;
    };
    for (let i = 0; i < 20000; i++) {
      const x = v(rnd(), rnd());
      m.learn(x, 3 * x[0]! - 2 * x[1]! + 1);
    }
    const { weights, intercept } = m.linearWeights();
    expect(weights[0]).toBeCloseTo(3, 2);
    expect(weights[1]).toBeCloseTo(-2, 2);
    expect(intercept).toBeCloseTo(1, 2);
  });
});

describe('recursiveLeastSquares', () => {
  it('fits y = 2x + 1 exactly from three points', () => {
    const m = recursiveLeastSquares({ delta: 1e-9 });
    for (const x of [0, 1, 2]) m.learn(v(x), 2 * x + 1);
    const { weights, intercept } = m.linearWeights();
    expect(weights[0]).toBeCloseTo(2, 6);
    expect(intercept).toBeCloseTo(1, 6);
    expect(m.covariance().rows).toBe(2);
  });

  it('equals batch ridge regression (XᵀX + δI)⁻¹Xᵀy on random data (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -5, max: 5, noNaN: true }),
            fc.double({ min: -5, max: 5, noNaN: true }),
            fc.double({ min: -20, max: 20, noNaN: true }),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (rows, delta) => {
          const m = recursiveLeastSquares({ delta });
          for (const [a, b, y] of rows) m.learn(v(a, b), y);
          const X = new Matrix(rows.map(([a, b]) => [a, b, 1]));
          const y = Matrix.columnVector(rows.map((r) => r[2]));
          const A = X.transpose().mmul(X).add(Matrix.eye(3).mul(delta));
          const theta = solve(A, X.transpose().mmul(y));
          const { weights, intercept } = m.linearWeights();
          const got = [weights[0]!, weights[1]!, intercept];
          return got.every((g, i) => Math.abs(g - theta.get(i, 0)) < 1e-6 * (1 + Math.abs(g)));
        },
      ),
    );
  });

  it('forgets: with λ < 1 it tracks a changed relation', () => {
    const m = recursiveLeastSquares({ forgetting: 0.9 });
    for (let i = 0; i < 200; i++) m.learn(v(i % 7), 5 * (i % 7));
    for (let i = 0; i < 200; i++) m.learn(v(i % 7), -1 * (i % 7));
    expect(m.linearWeights().weights[0]).toBeCloseTo(-1, 4);
  });
});

describe('passive-aggressive', () => {
  it('classifier: PA-I step τ = min(C, loss/‖x‖²) by hand', () => {
    const m = passiveAggressiveClassifier();
    m.learn(v(1, 1), true); // loss 1, ‖x‖² 2 → τ 0.5
    expect(Array.from(m.linearWeights().weights)).toEqual([0.5, 0.5]);
    expect(m.linearWeights().intercept).toBe(0.5);
    m.learn(v(1, 1), true); // margin 1.5 >= 1: passive
    expect(Array.from(m.linearWeights().weights)).toEqual([0.5, 0.5]);
  });

  it('classifier: C caps the step; PA-II uses loss/(‖x‖² + 1/2C)', () => {
    const capped = passiveAggressiveClassifier({ C: 0.1 });
    capped.learn(v(1, 1), false);
    expect(Array.from(capped.linearWeights().weights)).toEqual([-0.1, -0.1]);
    const pa2 = passiveAggressiveClassifier({ C: 1, mode: 2 });
    pa2.learn(v(1, 1), true); // τ = 1 / (2 + 0.5)
    expect(pa2.linearWeights().weights[0]).toBeCloseTo(0.4, 15);
  });

  it('regressor: ε-insensitive step by hand', () => {
    const m = passiveAggressiveRegressor({ C: 0.5 });
    m.learn(v(1), 2); // loss 1.9, ‖x‖² 1 → τ = min(0.5, 1.9)
    expect(m.predict(v(1))).toBeCloseTo(1, 15);
    m.learn(v(1), 1.05); // within ε = 0.1: passive
    expect(m.predict(v(1))).toBeCloseTo(1, 15);
  });
});

describe('perceptron', () => {
  it('updates only on mistakes, by lr·y·x', () => {
    const m = perceptron();
    m.learn(v(1, -1), true);
    expect(Array.from(m.linearWeights().weights)).toEqual([1, -1]);
    expect(m.predict(v(1, -1))).toBe(true);
    m.learn(v(1, -1), true); // correct: no change
    expect(Array.from(m.linearWeights().weights)).toEqual([1, -1]);
    m.learn(v(1, -1), false); // mistake: back to 0
    expect(Array.from(m.linearWeights().weights)).toEqual([0, 0]);
    expect(m.linearWeights().intercept).toBe(0);
  });
});

describe('ftrlProximal', () => {
  it('one step by hand: w = −z / ((β + √n)/α + l2)', () => {
    const m = ftrlProximal({ alpha: 0.1, beta: 1, l1: 0, l2: 0 });
    m.learn(v(1), true); // g = −0.5 on feature and bias: z = −0.5, n = 0.25
    const w = 0.5 / ((1 + 0.5) / 0.1);
    expect(m.predictProba(v(1))).toBeCloseTo(1 / (1 + Math.exp(-2 * w)), 15);
  });

  it('L1 keeps weights at exactly 0 while |z| <= l1', () => {
    const m = ftrlProximal({ l1: 1 });
    m.learn(v(1), true);
    expect(m.predictProba(v(1))).toBe(0.5);
  });
});
