import { describe, expect, it } from 'vitest';
import { recursiveLeastSquares } from './recursiveLeastSquares.js';

// A calendar-like design: one-hot hour (24) and weekday (7), so both blocks sum to 1 like the
// intercept (a direction the inputs never excite), plus two numeric features. `shift` moves the
// concept after half of the stream.
function calendarStream(n: number, shift = 0): { x: Float64Array; y: number }[] {
  let s = 12345;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const out: { x: Float64Array; y: number }[] = [];
  for (let t = 0; t < n; t++) {
    const x = new Float64Array(33);
    const h = t % 24;
    const d = Math.floor(t / 24) % 7;
    x[h] = 1;
    x[24 + d] = 1;
    x[31] = rnd() * 2 - 1;
    x[32] = rnd() * 2 - 1;
    const a = t < n / 2 ? 20 : 20 + shift;
    const y =
      100 + 50 * Math.sin((h / 24) * 2 * Math.PI) + (d >= 5 ? 30 : 0) + a * x[31]! - 10 * x[32]!;
    out.push({ x, y: y + (rnd() - 0.5) * 10 });
  }
  return out;
}

function prequentialMae(forgetting: number, rows: { x: Float64Array; y: number }[], from = 0) {
  const m = recursiveLeastSquares({ forgetting });
  let err = 0;
  rows.forEach((r, i) => {
    if (i >= from) err += Math.abs(m.predict(r.x) - r.y);
    m.learn(r.x, r.y);
  });
  return { mae: err / (rows.length - from), model: m };
}

describe('recursiveLeastSquares on an ill-conditioned stream', () => {
  it('with forgetting 0.999 stays as accurate as without (it diverged: MAE 74 vs 2.6)', () => {
    const rows = calendarStream(40_000);
    const exact = prequentialMae(1, rows);
    const forgetful = prequentialMae(0.999, rows);
    expect(exact.mae).toBeLessThan(3);
    expect(forgetful.mae).toBeLessThan(exact.mae * 1.1);
    // The covariance stays bounded: trace <= maxTrace · m / δ, over by at most one 1/λ step.
    const P = forgetful.model.covariance();
    let trace = 0;
    for (let i = 0; i < P.rows; i++) trace += P.get(i, i);
    expect(trace).toBeLessThanOrEqual((1000 * 34) / 0.999);
    for (let i = 0; i < P.rows; i++)
      for (let j = 0; j < i; j++) expect(P.get(i, j)).toBe(P.get(j, i));
  });

  it('still tracks a change of concept better than no forgetting', () => {
    const rows = calendarStream(20_000, -60);
    const after = 10_000 + 2_000;
    expect(prequentialMae(0.999, rows, after).mae).toBeLessThan(
      prequentialMae(1, rows, after).mae / 2,
    );
  });

  it('rejects a maxTrace below 1', () => {
    expect(() => recursiveLeastSquares({ maxTrace: 0.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});
