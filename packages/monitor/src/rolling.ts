import { invalidOption, TributaryError } from '@tributary/core';
import type { Metric, MetricSnapshot } from './metric.js';

/**
 * The metric over the last `window` updates only: each update beyond the window reverts the
 * oldest pair. Exact for every metric here, including ROC and PR AUC.
 */
export function rolling<Y, P>(metric: Metric<Y, P>, window: number): Metric<Y, P> {
  if (!Number.isInteger(window) || window < 1)
    throw invalidOption('window', 'an integer >= 1', window);
  const inner = metric.clone();
  // Ring buffer of [y, p, weight]; `start` is the oldest.
  let buffer: [Y, P, number][] = [];
  let start = 0;
  const name = `rolling(${inner.name},${window})`;
  const self: Metric<Y, P> = {
    name,
    uses: inner.uses,
    biggerIsBetter: inner.biggerIsBetter,
    update(y, p, weight = 1) {
      inner.update(y, p, weight);
      if (buffer.length < window) buffer.push([y, p, weight]);
      else {
        const [oy, op, ow] = buffer[start]!;
        inner.revert(oy, op, ow);
        buffer[start] = [y, p, weight];
        start = (start + 1) % window;
      }
    },
    revert(y, p, weight = 1) {
      // Removes the newest matching pair, as if it had not been added.
      for (let k = buffer.length - 1; k >= 0; k--) {
        const i = (start + k) % buffer.length;
        const e = buffer[i]!;
        if (e[0] === y && e[1] === p && e[2] === weight) {
          inner.revert(y, p, weight);
          const ordered = [...buffer.slice(start), ...buffer.slice(0, start)];
          ordered.splice(k, 1);
          buffer = ordered;
          start = 0;
          return;
        }
      }
    },
    get: () => inner.get(),
    reset() {
      inner.reset();
      buffer = [];
      start = 0;
    },
    snapshot: (): MetricSnapshot => ({
      metric: name,
      state: {
        inner: inner.snapshot(),
        buffer: structuredClone([...buffer.slice(start), ...buffer.slice(0, start)]),
      },
    }),
    restore(snapshot) {
      const s = snapshot as {
        metric?: unknown;
        state?: { inner?: unknown; buffer?: unknown };
      } | null;
      const buf = s?.state?.buffer;
      if (s?.metric !== name || !Array.isArray(buf) || buf.length > window) {
        throw new TributaryError(
          'MONITOR_SNAPSHOT_INVALID',
          `${name}.restore(): not a snapshot of this metric`,
          {
            details: { metric: name },
          },
        );
      }
      inner.restore(s.state?.inner);
      buffer = structuredClone(buf) as [Y, P, number][];
      start = 0;
    },
    clone: () => rolling(inner, window),
  };
  return self;
}
