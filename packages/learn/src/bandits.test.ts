import { describe, expect, it } from 'vitest';
import {
  type Bandit,
  type ContextualBandit,
  epsilonGreedy,
  type LearnerSnapshot,
  linearThompsonSampling,
  linUcb,
  thompsonSampling,
  ucb1,
} from './index.js';
import { Rng } from './internal/rng.js';

const v = (...xs: number[]) => Float64Array.from(xs);

/** Plays `n` rounds of Bernoulli arms with success probabilities `p`; returns pulls per arm. */
function play(b: Bandit, p: number[], n: number, seed = 11): Float64Array {
  const rng = new Rng(seed);
  for (let t = 0; t < n; t++) {
    const arm = b.select();
    b.update(arm, rng.next() < p[arm]! ? 1 : 0);
  }
  return b.stats().pulls;
}

/** Plays `n` rounds where arm a's reward is x[a] + noise; returns the share of best-arm picks in the last half. */
function playContextual(b: ContextualBandit, n: number): number {
  const rng = new Rng(12);
  let best = 0;
  for (let t = 0; t < n; t++) {
    const x = v(rng.next(), rng.next(), rng.next());
    const arm = b.select(x);
    if (t >= n / 2 && x[arm] === Math.max(...x)) best += 1;
    b.update(arm, x, x[arm]! + 0.05 * rng.normal());
  }
  return best / (n / 2);
}

describe('ucb1', () => {
  it('plays each arm once, then follows mean + √2·sqrt(ln t / n) by hand', () => {
    const b = ucb1({ arms: 2 });
    expect(b.select()).toBe(0);
    b.update(0, 1);
    expect(b.select()).toBe(1);
    b.update(1, 0);
    // 1 + √(2 ln 2) vs 0 + √(2 ln 2): arm 0
    expect(b.select()).toBe(0);
    b.update(0, 0);
    // arm 0: 0.5 + √(2 ln 3 / 2) = 1.548; arm 1: 0 + √(2 ln 3) = 1.482
    expect(b.select()).toBe(0);
    b.update(0, 0);
    // arm 0: 1/3 + √(2 ln 4 / 3) = 1.295; arm 1: √(2 ln 4) = 1.665
    expect(b.select()).toBe(1);
  });

  it('concentrates on the best arm', () => {
    const pulls = play(ucb1({ arms: 3 }), [0.2, 0.5, 0.8], 3000);
    expect(pulls[2]! / 3000).toBeGreaterThan(0.7);
  });
});

describe('epsilonGreedy', () => {
  it('with epsilon 0 plays the best mean after trying every arm', () => {
    const b = epsilonGreedy({ arms: 3, epsilon: 0 });
    for (const r of [0.1, 0.9, 0.5]) b.update(b.select(), r);
    expect(Array.from(b.stats().meanReward)).toEqual([0.1, 0.9, 0.5]);
    expect(b.select()).toBe(1);
  });

  it('explores about epsilon of the time and exploits the rest', () => {
    const pulls = play(epsilonGreedy({ arms: 3, epsilon: 0.1 }), [0.2, 0.5, 0.8], 5000);
    expect(pulls[2]! / 5000).toBeGreaterThan(0.8);
    expect(pulls[0]! / 5000).toBeGreaterThan(0.01);
  });
});

describe('thompsonSampling', () => {
  it('Beta: concentrates on the best arm', () => {
    const pulls = play(thompsonSampling({ arms: 3 }), [0.2, 0.5, 0.8], 3000);
    expect(pulls[2]! / 3000).toBeGreaterThan(0.85);
  });

  it('Gaussian: concentrates on the best arm', () => {
    const pulls = play(
      thompsonSampling({ arms: 3, prior: 'gaussian', sigma: 0.5 }),
      [0.2, 0.5, 0.8],
      3000,
    );
    expect(pulls[2]! / 3000).toBeGreaterThan(0.85);
  });

  it('Beta rejects rewards outside [0, 1]', () => {
    const b = thompsonSampling({ arms: 2 });
    expect(() => b.update(0, 2)).toThrow(expect.objectContaining({ code: 'LEARN_BAD_LABEL' }));
  });
});

describe('contextual bandits', () => {
  it('linUcb: scores θᵀx + α·sqrt(xᵀA⁻¹x) by hand', () => {
    const b = linUcb({ arms: 2, alpha: 1 });
    b.update(0, v(1, 0), 1); // A⁻¹ = diag(1/2, 1), b = (1, 0)
    // arm 0: 0.5 + √0.5 = 1.207 > arm 1: 0 + 1
    expect(b.select(v(1, 0))).toBe(0);
    // arm 0 on (0, 1): 0 + 1; arm 1: 0 + 1 → a tie, broken by the RNG; on (0.1, 1):
    // arm 0: 0.05 + √(0.005 + 1) = 1.0525 > arm 1: √1.01 = 1.005
    expect(b.select(v(0.1, 1))).toBe(0);
  });

  it('linUcb learns which arm pays in which context', () => {
    expect(playContextual(linUcb({ arms: 3, alpha: 0.5 }), 3000)).toBeGreaterThan(0.85);
  });

  it('linearThompsonSampling learns which arm pays in which context', () => {
    expect(playContextual(linearThompsonSampling({ arms: 3, scale: 0.2 }), 3000)).toBeGreaterThan(
      0.85,
    );
  });

  it('is reproducible from the seed and resumes exactly from a snapshot', () => {
    const a = linearThompsonSampling({ arms: 3, seed: 5 });
    const b = linearThompsonSampling({ arms: 3, seed: 5 });
    playContextual(a, 200);
    playContextual(b, 200);
    expect(a.snapshot()).toEqual(b.snapshot());
    const c = a.clone();
    c.restore(JSON.parse(JSON.stringify(a.snapshot())) as LearnerSnapshot);
    const xs = Array.from({ length: 50 }, (_, i) => v(i / 50, 1 - i / 50, 0.5));
    expect(xs.map((x) => c.select(x))).toEqual(xs.map((x) => a.select(x)));
  });

  it('rejects bad arms and contexts', () => {
    const b = linUcb({ arms: 2 });
    expect(() => b.update(2, v(1), 1)).toThrow(expect.objectContaining({ code: 'LEARN_BAD_ARM' }));
    b.update(0, v(1, 2), 1);
    expect(() => b.select(v(1))).toThrow(
      expect.objectContaining({ code: 'LEARN_DIMENSION_MISMATCH' }),
    );
  });
});

describe('bandit snapshots', () => {
  const make: Record<string, () => Bandit> = {
    epsilonGreedy: () => epsilonGreedy({ arms: 4, epsilon: 0.3 }),
    ucb1: () => ucb1({ arms: 4 }),
    'thompsonSampling beta': () => thompsonSampling({ arms: 4 }),
    'thompsonSampling gaussian': () => thompsonSampling({ arms: 4, prior: 'gaussian' }),
  };
  for (const [name, f] of Object.entries(make)) {
    it(`${name}: restore resumes the same choices (RNG included)`, () => {
      const a = f();
      play(a, [0.1, 0.4, 0.6, 0.3], 300);
      const b = f();
      b.restore(JSON.parse(JSON.stringify(a.snapshot())) as LearnerSnapshot);
      const next = (x: Bandit) => Array.from({ length: 100 }, () => x.select());
      expect(next(b)).toEqual(next(a));
    });
  }
});

describe('linearThompsonSampling numerics', () => {
  const withAinv = (ainv: number[]) => {
    const b = linearThompsonSampling({ arms: 1, features: 2 });
    b.update(0, v(0, 0), 0); // sizes the state
    const snap = b.snapshot();
    const state = { ...(snap.state as Record<string, unknown>), Ainv: ainv };
    b.restore({ ...snap, state } as LearnerSnapshot);
    return b;
  };

  it('rebuilds a covariance that rounding made singular (ml-matrix fallback)', () => {
    expect(withAinv([1, 0, 0, 0]).select(v(1, 1))).toBe(0);
  });

  it('reports a covariance that cannot be repaired as LEARN_NUMERICAL', () => {
    expect(() => withAinv([1, 0, 0, -1e-12]).select(v(1, 1))).toThrow(
      expect.objectContaining({ code: 'LEARN_NUMERICAL' }),
    );
  });
});
