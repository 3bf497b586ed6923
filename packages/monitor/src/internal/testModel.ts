import type { OnlineModel } from '../onlineModel.js';

/**
 * A tiny binary model for tests: P(true) = (trues + 1) / (n + 2), ignoring x (Laplace-smoothed
 * base rate), so every prediction is computable by hand.
 */
export function baseRateModel(): OnlineModel<Float64Array, boolean, boolean> & {
  readonly n: number;
} {
  let trues = 0;
  let n = 0;
  const proba = () => (trues + 1) / (n + 2);
  return {
    kind: 'binary',
    get n() {
      return n;
    },
    predict: () => proba() >= 0.5,
    predictProba: () => proba(),
    learn(_x, y, w = 1) {
      if (y) trues += w;
      n += w;
    },
    clone: () => baseRateModel(),
    snapshot: () => ({ trues, n }),
    restore(s) {
      ({ trues, n } = s as { trues: number; n: number });
    },
  };
}
