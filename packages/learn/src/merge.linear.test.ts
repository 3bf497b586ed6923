import { describe, expect, it } from 'vitest';
import {
  adagrad,
  adam,
  ftrlProximal,
  type LinearClassifier,
  type LinearRegressor,
  linearRegression,
  logisticRegression,
  perceptron,
  recursiveLeastSquares,
  sgd,
} from './index.js';
import { Rng } from './internal/rng.js';

const v = (...xs: number[]) => Float64Array.from(xs);

function data(n: number, seed: number) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const x = v(rng.normal(), rng.normal(), rng.normal());
    const t = 1.5 * x[0]! - x[1]! + 0.5;
    return { x, y: t + 0.1 * rng.normal(), c: t > 0 };
  });
}

type State = Record<string, number[] | number>;
const state = (m: { snapshot(): { state: unknown } }) => m.snapshot().state as State;

describe('linear models: weighted parameter averaging', () => {
  const rows = data(400, 3);

  it('merge averages weights and intercepts with the given weights', () => {
    const a = logisticRegression();
    const b = logisticRegression();
    rows.slice(0, 100).forEach((r) => {
      a.learn(r.x, r.c);
    });
    rows.slice(100).forEach((r) => {
      b.learn(r.x, r.c);
    });
    const wa = a.linearWeights();
    const wb = b.linearWeights();
    a.merge([b.snapshot()], [1, 3]);
    const m = a.linearWeights();
    for (let i = 0; i < 3; i++) {
      expect(m.weights[i]).toBeCloseTo((wa.weights[i]! + 3 * wb.weights[i]!) / 4, 14);
    }
    expect(m.intercept).toBeCloseTo((wa.intercept + 3 * wb.intercept) / 4, 14);
  });

  it('default weights are the records each learnt', () => {
    const a = linearRegression();
    const b = linearRegression();
    rows.slice(0, 100).forEach((r) => {
      a.learn(r.x, r.y);
    });
    rows.slice(100).forEach((r) => {
      b.learn(r.x, r.y);
    });
    const wa = a.linearWeights().weights;
    const wb = b.linearWeights().weights;
    a.merge([b.snapshot()]);
    expect(a.linearWeights().weights[0]).toBeCloseTo((100 * wa[0]! + 300 * wb[0]!) / 400, 14);
  });

  it('AdaGrad: Σg² summed; Adam: moments averaged, step counts summed', () => {
    const ga = logisticRegression({ optimizer: adagrad() });
    const gb = logisticRegression({ optimizer: adagrad() });
    rows.slice(0, 50).forEach((r) => {
      ga.learn(r.x, r.c);
    });
    rows.slice(50, 100).forEach((r) => {
      gb.learn(r.x, r.c);
    });
    const [Ga, Gb] = [state(ga).v as number[], state(gb).v as number[]];
    ga.merge([gb.snapshot()]);
    (state(ga).v as number[]).forEach((g, i) => {
      expect(g).toBeCloseTo(Ga[i]! + Gb[i]!, 12);
    });

    const aa = logisticRegression({ optimizer: adam() });
    const ab = logisticRegression({ optimizer: adam() });
    rows.slice(0, 50).forEach((r) => {
      aa.learn(r.x, r.c);
    });
    rows.slice(50, 150).forEach((r) => {
      ab.learn(r.x, r.c);
    });
    const [ma, mb] = [state(aa).m as number[], state(ab).m as number[]];
    aa.merge([ab.snapshot()]);
    const s = state(aa);
    expect(s.t).toBe(150);
    (s.m as number[]).forEach((m, i) => {
      expect(m).toBeCloseTo((ma[i]! + 2 * mb[i]!) / 3, 12);
    });
  });

  it('a delta applied to a copy of the base reproduces the model; two deltas add up', () => {
    const check = <M extends LinearClassifier | LinearRegressor>(a: M, learn: (m: M) => void) => {
      const b = a.clone() as M;
      const base = a.snapshot();
      learn(a);
      b.restore(base);
      b.applyDelta(a.delta(base));
      expect(b.linearWeights()).toEqual(a.linearWeights());
    };
    check(logisticRegression({ optimizer: sgd(0.05) }), (m) =>
      rows.slice(0, 60).forEach((r) => {
        m.learn(r.x, r.c);
      }),
    );
    check(perceptron(), (m) =>
      rows.slice(0, 60).forEach((r) => {
        m.learn(r.x, r.c);
      }),
    );
    check(linearRegression({ optimizer: adagrad() }), (m) =>
      rows.slice(0, 60).forEach((r) => {
        m.learn(r.x, r.y);
      }),
    );
    // Two workers from one start: the sum of their steps.
    const w0 = logisticRegression({ optimizer: sgd(0.05) });
    const w1 = w0.clone();
    const base = w0.snapshot();
    rows.slice(0, 30).forEach((r) => {
      w0.learn(r.x, r.c);
    });
    rows.slice(30, 60).forEach((r) => {
      w1.learn(r.x, r.c);
    });
    const d0 = w0.linearWeights().weights;
    const d1 = w1.linearWeights().weights;
    w0.applyDelta(w1.delta(base));
    w0.linearWeights().weights.forEach((w, i) => {
      expect(w).toBeCloseTo(d0[i]! + d1[i]!, 14);
    });
  });
});

describe('ftrlProximal: weights averaged, n summed, z solved back', () => {
  it('the merged model predicts with the averaged weights and summed n', () => {
    const rows = data(300, 4);
    const a = ftrlProximal({ l1: 0.01 });
    const b = ftrlProximal({ l1: 0.01 });
    rows.slice(0, 150).forEach((r) => {
      a.learn(r.x, r.c);
    });
    rows.slice(150).forEach((r) => {
      b.learn(r.x, r.c);
    });
    const [wa, wb] = [a.linearWeights(), b.linearWeights()];
    const [na, nb] = [state(a).n as number[], state(b).n as number[]];
    a.merge([b.snapshot()]);
    const m = a.linearWeights();
    m.weights.forEach((w, i) => {
      expect(w).toBeCloseTo((wa.weights[i]! + wb.weights[i]!) / 2, 12);
    });
    expect(m.intercept).toBeCloseTo((wa.intercept + wb.intercept) / 2, 12);
    (state(a).n as number[]).forEach((n, i) => {
      expect(n).toBeCloseTo(na[i]! + nb[i]!, 12);
    });
  });
});

describe('recursiveLeastSquares: summed ridge statistics (exact with forgetting 1)', () => {
  it('merging two halves gives the solution on all records', () => {
    const rows = data(200, 5);
    const all = recursiveLeastSquares();
    const a = recursiveLeastSquares();
    const b = recursiveLeastSquares();
    rows.forEach((r, i) => {
      all.learn(r.x, r.y);
      (i < 80 ? a : b).learn(r.x, r.y);
    });
    a.merge([b.snapshot()]);
    const [m, t] = [a.linearWeights(), all.linearWeights()];
    m.weights.forEach((w, i) => {
      expect(w).toBeCloseTo(t.weights[i]!, 9);
    });
    expect(m.intercept).toBeCloseTo(t.intercept, 9);
    expect(a.covariance().get(0, 0)).toBeCloseTo(all.covariance().get(0, 0), 12);
  });
});

describe('merge arguments', () => {
  it('needs one weight per model, finite and >= 0', () => {
    const a = logisticRegression();
    const b = logisticRegression().snapshot();
    expect(() => a.merge([b], [1])).toThrow(
      expect.objectContaining({ code: 'LEARN_BAD_SNAPSHOT' }),
    );
    expect(() => a.merge([b], [1, Number.NaN])).toThrow(
      expect.objectContaining({ code: 'LEARN_NON_FINITE' }),
    );
  });
});
