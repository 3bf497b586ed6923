import { describe, expect, it } from 'vitest';
import { type DetectorImpl, type DriftDetector, defineDetector } from './index.js';

interface Run {
  above: number;
  n: number;
}

/** Drift after `k` values in a row above `limit`: a detector written the way users would. */
function streak(limit: number, k: number): DriftDetector {
  const impl: DetectorImpl<Run> = {
    name: 'streak',
    init: () => ({ above: 0, n: 0 }),
    update(s, x) {
      s.n++;
      s.above = x > limit ? s.above + 1 : 0;
      return { drift: s.above >= k, warning: s.above > 0 };
    },
    count: (s) => s.n,
    isState: (x): x is Run => typeof x === 'object' && x !== null && 'above' in x && 'n' in x,
    clone: () => streak(limit, k),
  };
  return defineDetector(impl);
}

describe('defineDetector', () => {
  it('signals warning and drift from the state, and starts afresh after a drift', () => {
    const d = streak(1, 2);
    d.update(5);
    expect([d.warningDetected, d.driftDetected]).toEqual([true, false]);
    d.update(5);
    expect(d.driftDetected).toBe(true);
    expect(d.n).toBe(2);
    d.update(0);
    expect([d.driftDetected, d.n]).toEqual([false, 1]);
  });

  it('rejects values that are not finite numbers', () => {
    expect(() => streak(1, 2).update(Number.NaN)).toThrow(
      expect.objectContaining({ code: 'MONITOR_BAD_VALUE' }),
    );
  });

  it('snapshots as plain data and restores only its own snapshots', () => {
    const d = streak(1, 3);
    d.update(2);
    d.update(2);
    const copy = streak(1, 3);
    copy.restore(JSON.parse(JSON.stringify(d.snapshot())));
    copy.update(2);
    expect(copy.driftDetected).toBe(true);
    expect(() => copy.restore({ detector: 'adwin', state: {} })).toThrow(
      expect.objectContaining({ code: 'MONITOR_SNAPSHOT_INVALID' }),
    );
  });
});
