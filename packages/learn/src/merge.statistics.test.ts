import { describe, expect, it } from 'vitest';
import {
  epsilonGreedy,
  gaussianNaiveBayes,
  halfSpaceTrees,
  hoeffdingTree,
  isMergeable,
  kMeans,
  linearThompsonSampling,
  linUcb,
  logisticRegression,
  thompsonSampling,
  ucb1,
} from './index.js';
import { Rng } from './internal/rng.js';

const v = (...xs: number[]) => Float64Array.from(xs);

/** Seeded rows with a class that depends on the features. */
function rows(n: number, seed: number): { x: Float64Array; y: number }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const y = rng.int(3);
    return { x: v(y + rng.normal(), 2 * y - rng.normal(), rng.next()), y };
  });
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, digits = 9): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, digits);
}

describe('gaussianNaiveBayes merge (exact: summed counts, Chan-merged moments)', () => {
  const data = rows(600, 1);
  const all = gaussianNaiveBayes();
  for (const r of data) all.learn(r.x, r.y);

  it('merging three workers equals one model that saw every record', () => {
    const workers = [gaussianNaiveBayes(), gaussianNaiveBayes(), gaussianNaiveBayes()];
    // Worker 2 never sees class 2: its arrays are shorter and must line up.
    data.forEach((r, i) => {
      const w = r.y === 2 ? i % 2 : i % 3;
      workers[w]!.learn(r.x, r.y);
    });
    const [a, ...peers] = workers;
    a!.merge(peers.map((p) => p.snapshot()));
    expect(a!.classes).toBe(3);
    for (const r of data.slice(0, 50)) close(a!.predictProba(r.x), all.predictProba(r.x));
  });

  it('a delta since a snapshot, applied to a peer, adds exactly those records', () => {
    const a = gaussianNaiveBayes();
    const b = gaussianNaiveBayes();
    data.slice(0, 200).forEach((r) => {
      a.learn(r.x, r.y);
      b.learn(r.x, r.y);
    });
    const base = a.snapshot();
    for (const r of data.slice(200)) a.learn(r.x, r.y);
    b.applyDelta(a.delta(base));
    for (const r of data.slice(0, 50)) close(b.predictProba(r.x), all.predictProba(r.x));
  });

  it('rejects peers with other options or another input length', () => {
    const a = gaussianNaiveBayes();
    a.learn(v(1, 2), 0);
    const other = gaussianNaiveBayes({ varSmoothing: 0.1 });
    other.learn(v(1, 2), 0);
    expect(() => a.merge([other.snapshot()])).toThrow(
      expect.objectContaining({ code: 'LEARN_BAD_SNAPSHOT' }),
    );
    const wide = gaussianNaiveBayes();
    wide.learn(v(1, 2, 3), 0);
    expect(() => a.merge([wide.snapshot()])).toThrow(
      expect.objectContaining({ code: 'LEARN_DIMENSION_MISMATCH' }),
    );
    expect(() => a.merge([logisticRegression().snapshot()])).toThrow(
      expect.objectContaining({ code: 'LEARN_BAD_SNAPSHOT' }),
    );
  });
});

describe('bandit merge (exact: summed pulls and rewards)', () => {
  it.each([
    ['epsilonGreedy', () => epsilonGreedy({ arms: 3 })],
    ['ucb1', () => ucb1({ arms: 3 })],
    ['thompsonSampling', () => thompsonSampling({ arms: 3 })],
  ])('%s: the merged statistics are those of all updates', (_, make) => {
    const rng = new Rng(5);
    const all = make();
    const parts = [make(), make()];
    for (let i = 0; i < 300; i++) {
      const arm = rng.int(3);
      const r = rng.next() < 0.2 + 0.3 * arm ? 1 : 0;
      all.update(arm, r);
      parts[i % 2]!.update(arm, r);
    }
    parts[0]!.merge([parts[1]!.snapshot()]);
    expect(Array.from(parts[0]!.stats().pulls)).toEqual(Array.from(all.stats().pulls));
    close(parts[0]!.stats().meanReward, all.stats().meanReward, 12);
  });

  it('accepts peers with another seed (workers may explore differently)', () => {
    const a = ucb1({ arms: 2, seed: 1 });
    const b = ucb1({ arms: 2, seed: 2 });
    b.update(1, 1);
    a.merge([b.snapshot()]);
    expect(Array.from(a.stats().pulls)).toEqual([0, 1]);
  });
});

describe('linUcb / linearThompsonSampling merge (exact: summed A and b)', () => {
  const rng = new Rng(9);
  const updates = Array.from({ length: 200 }, () => {
    const x = v(1, rng.normal(), rng.normal());
    const arm = rng.int(2);
    return { arm, x, r: x[1]! * (arm === 0 ? 1 : -1) + 0.1 * rng.normal() };
  });

  it.each([
    ['linUcb', () => linUcb({ arms: 2 })],
    ['linearThompsonSampling', () => linearThompsonSampling({ arms: 2, scale: 0 })],
  ])('%s: merging two halves gives the policy of all updates', (_, make) => {
    const all = make();
    const a = make();
    const b = make();
    updates.forEach((u, i) => {
      all.update(u.arm, u.x, u.r);
      (i % 2 === 0 ? a : b).update(u.arm, u.x, u.r);
    });
    a.merge([b.snapshot()]);
    const sa = a.snapshot().state as { Ainv: number[]; b: number[]; pulls: number[] };
    const sall = all.snapshot().state as { Ainv: number[]; b: number[]; pulls: number[] };
    close(sa.Ainv, sall.Ainv);
    close(sa.b, sall.b);
    expect(sa.pulls).toEqual(sall.pulls);
  });

  it('a sliding window cannot merge: LEARN_NOT_MERGEABLE', () => {
    const w = linUcb({ arms: 2, window: 10 });
    expect(isMergeable(w)).toBe(false);
    expect(() => w.merge([linUcb({ arms: 2, window: 10 }).snapshot()])).toThrow(
      expect.objectContaining({ code: 'LEARN_NOT_MERGEABLE' }),
    );
  });
});

describe('kMeans merge (centres matched, then count-weighted)', () => {
  it("'mean' rate: matched centres become the weighted mean of their records", () => {
    const a = kMeans({ clusters: 2 });
    const b = kMeans({ clusters: 2 });
    // a seeds cluster 0 near 0 and 1 near 10; b the other way round.
    for (const x of [0, 10, 1, 11]) a.learn(v(x));
    for (const x of [12, 2, 12, 2]) b.learn(v(x));
    a.merge([b.snapshot()]);
    const c = a.centers().map((p) => p[0]!);
    // Near 0: records 0, 1, 2, 2 → 1.25; near 10: 10, 11, 12, 12 → 11.25.
    expect(c[0]).toBeCloseTo(1.25, 12);
    expect(c[1]).toBeCloseTo(11.25, 12);
  });

  it('an untrained model adopts a peer’s centres; a delta adds the new records', () => {
    const a = kMeans({ clusters: 2 });
    const b = kMeans({ clusters: 2 });
    for (const x of [0, 10]) b.learn(v(x));
    a.merge([b.snapshot()]);
    expect(a.centers().map((p) => p[0])).toEqual([0, 10]);
    const base = b.snapshot();
    b.learn(v(2));
    a.applyDelta(b.delta(base));
    expect(a.centers().map((p) => p[0])).toEqual([1, 10]);
  });
});

describe('learners without a merge rule', () => {
  it.each([
    ['hoeffdingTree', () => hoeffdingTree()],
    ['halfSpaceTrees', () => halfSpaceTrees()],
  ])('%s: isMergeable is false and merge throws LEARN_NOT_MERGEABLE', (_, make) => {
    const m = make();
    expect(isMergeable(m)).toBe(false);
    const untyped = m as unknown as { merge(p: unknown[]): void };
    expect(() => untyped.merge([make().snapshot()])).toThrow(
      expect.objectContaining({ code: 'LEARN_NOT_MERGEABLE' }),
    );
  });
});
