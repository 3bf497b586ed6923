import { describe, expect, it } from 'vitest';
import { defineMetric, type Metric, type MetricImpl } from './index.js';

interface Sums {
  readonly sum: number;
  readonly weight: number;
}

/** Mean signed error (bias), a metric the package does not ship, written the way users would. */
function bias(): Metric<number, number> {
  const impl: MetricImpl<Sums, number, number> = {
    name: 'bias',
    uses: 'prediction',
    biggerIsBetter: false,
    init: () => ({ sum: 0, weight: 0 }),
    add: (s, y, p, w) => ({ sum: s.sum + w * (p - y), weight: s.weight + w }),
    value: (s) => (s.weight === 0 ? Number.NaN : s.sum / s.weight),
    isState: (x): x is Sums => typeof x === 'object' && x !== null && 'sum' in x && 'weight' in x,
    clone: () => bias(),
  };
  return defineMetric(impl);
}

describe('defineMetric', () => {
  it('updates, reverts, weights and resets from the state the metric describes', () => {
    const m = bias();
    expect(m.get()).toBeNaN();
    m.update(10, 12);
    m.update(10, 7, 2);
    expect(m.get()).toBeCloseTo((2 - 6) / 3);
    m.revert(10, 7, 2);
    expect(m.get()).toBe(2);
    m.reset();
    expect(m.get()).toBeNaN();
  });

  it('rejects bad weights with INVALID_OPTION', () => {
    expect(() => bias().update(1, 1, -1)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('snapshots as plain data and restores only its own snapshots', () => {
    const m = bias();
    m.update(0, 3);
    const copy = bias();
    copy.restore(JSON.parse(JSON.stringify(m.snapshot())));
    expect(copy.get()).toBe(3);
    expect(() => copy.restore({ metric: 'accuracy', state: { sum: 1, weight: 1 } })).toThrow(
      expect.objectContaining({ code: 'MONITOR_SNAPSHOT_INVALID' }),
    );
    expect(copy.clone().get()).toBeNaN();
  });
});
