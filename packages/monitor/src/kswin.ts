import { invalidOption, ksPValueEqualSizes, ksStatistic, mulberry32Step } from '@tributary/core';
import { defineDetector } from './defineDetector.js';
import type { DriftDetector } from './driftDetector.js';

/** Options of {@link kswin}; defaults are River's. */
export interface KswinOptions {
  /** Significance of the KS test; keep it small (River advises < 0.01). Default 0.005. */
  readonly alpha?: number;
  /** Length of the sliding window. Default 100. */
  readonly windowSize?: number;
  /** Length of the recent part tested against a sample of the older part. Default 30. */
  readonly statSize?: number;
  /** Seed of the sampling. Default 0. */
  readonly seed?: number;
}

interface KswinState {
  n: number;
  window: number[];
  rng: number;
  pValue: number;
}

/**
 * KSWIN (Raab et al. 2020), as River's `drift.KSWIN`: each update, once the window is full,
 * compares its last `statSize` values with `statSize` values sampled from the older part using
 * the two-sample Kolmogorov-Smirnov test; drift when p ≤ `alpha` and the statistic > 0.1. The
 * p-value is exact (as SciPy's for equal sizes); sampling uses a seeded mulberry32, so the
 * alarms match River's in distribution, not index for index.
 */
export function kswin(options: KswinOptions = {}): DriftDetector {
  const alpha = options.alpha ?? 0.005;
  const windowSize = options.windowSize ?? 100;
  const statSize = options.statSize ?? 30;
  const seed = options.seed ?? 0;
  if (!(alpha > 0 && alpha < 1)) throw invalidOption('alpha', 'a number in (0, 1)', alpha);
  if (!Number.isInteger(statSize) || statSize < 1) {
    throw invalidOption('statSize', 'an integer >= 1', statSize);
  }
  if (!Number.isInteger(windowSize) || windowSize < 2 * statSize) {
    throw invalidOption('windowSize', `an integer >= 2 × statSize (${2 * statSize})`, windowSize);
  }
  if (!Number.isInteger(seed)) throw invalidOption('seed', 'an integer', seed);
  return defineDetector<KswinState>({
    name: 'kswin',
    init: () => ({ n: 0, window: [], rng: seed >>> 0, pValue: 0 }),
    update(s, x) {
      s.n += 1;
      s.window.push(x);
      if (s.window.length > windowSize) s.window.shift();
      if (s.window.length < windowSize) return { drift: false, warning: false };
      // statSize distinct indices of the older part (partial Fisher-Yates).
      const older = windowSize - statSize;
      const idx = Array.from({ length: older }, (_, i) => i);
      const sample: number[] = [];
      for (let i = 0; i < statSize; i++) {
        const j = i + Math.floor(mulberry32Step(s) * (older - i));
        [idx[i], idx[j]] = [idx[j]!, idx[i]!];
        sample.push(s.window[idx[i]!]!);
      }
      const recent = s.window.slice(older);
      const d = ksStatistic(sample, recent);
      s.pValue = ksPValueEqualSizes(statSize, d);
      const drift = s.pValue <= alpha && d > 0.1;
      if (drift) s.window = recent;
      return { drift, warning: false };
    },
    count: (s) => s.n,
    isState: (s): s is KswinState =>
      typeof s === 'object' &&
      s !== null &&
      Array.isArray((s as KswinState).window) &&
      typeof (s as KswinState).rng === 'number' &&
      typeof (s as KswinState).n === 'number',
    clone: () => kswin(options),
  });
}
