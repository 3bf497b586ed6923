import { invalidOption } from '@tributary/core';
import { defineDetector } from './defineDetector.js';
import type { DriftDetector } from './driftDetector.js';
import { hasNumbers } from './internal/numbers.js';

/** Options of {@link pageHinkley}; defaults are River's. */
export interface PageHinkleyOptions {
  /** Updates before a change can be signalled. Default 30. */
  readonly minInstances?: number;
  /** Magnitude of change tolerated. Default 0.005. */
  readonly delta?: number;
  /** Detection threshold (lambda). Default 50. */
  readonly threshold?: number;
  /** Forgetting factor of the cumulative sums. Default 1 − 0.0001. */
  readonly alpha?: number;
  /** Detect increases of the mean, decreases, or both. Default `'both'`. */
  readonly mode?: 'up' | 'down' | 'both';
}

interface PhState {
  n: number;
  mean: number;
  up: number;
  down: number;
  minUp: number | null;
  maxDown: number;
}

/**
 * Page-Hinkley test (Page 1954), two-sided as River's `drift.PageHinkley`: cumulative
 * deviations from the running mean, faded by `alpha`, against `threshold`.
 */
export function pageHinkley(options: PageHinkleyOptions = {}): DriftDetector {
  const minInstances = options.minInstances ?? 30;
  const delta = options.delta ?? 0.005;
  const threshold = options.threshold ?? 50;
  const alpha = options.alpha ?? 1 - 0.0001;
  const mode = options.mode ?? 'both';
  if (!Number.isInteger(minInstances) || minInstances < 1) {
    throw invalidOption('minInstances', 'an integer >= 1', minInstances);
  }
  if (!(delta >= 0)) throw invalidOption('delta', 'a number >= 0', delta);
  if (!(threshold > 0)) throw invalidOption('threshold', 'a number > 0', threshold);
  if (!(alpha > 0 && alpha <= 1)) throw invalidOption('alpha', 'a number in (0, 1]', alpha);
  if (!['up', 'down', 'both'].includes(mode))
    throw invalidOption('mode', "'up', 'down' or 'both'", mode);
  return defineDetector<PhState>({
    name: 'pageHinkley',
    // minUp starts at +Infinity (null in JSON); maxDown at -1, as River.
    init: () => ({ n: 0, mean: 0, up: 0, down: 0, minUp: null, maxDown: -1 }),
    update(s, x) {
      s.n += 1;
      s.mean += (x - s.mean) / s.n;
      const dev = x - s.mean;
      s.up = alpha * s.up + dev - delta;
      s.down = alpha * s.down + dev + delta;
      if (s.minUp === null || s.up < s.minUp) s.minUp = s.up;
      if (s.down > s.maxDown) s.maxDown = s.down;
      if (s.n < minInstances) return { drift: false, warning: false };
      const up = s.up - s.minUp;
      const down = s.maxDown - s.down;
      const drift = (mode !== 'down' && up > threshold) || (mode !== 'up' && down > threshold);
      return { drift, warning: false };
    },
    count: (s) => s.n,
    isState: (s): s is PhState =>
      hasNumbers(s, ['n', 'mean', 'up', 'down', 'maxDown']) &&
      ((s as PhState).minUp === null || typeof (s as PhState).minUp === 'number'),
    clone: () => pageHinkley(options),
  });
}
