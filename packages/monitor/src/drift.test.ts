import { gaussian, mulberry32 } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { adwin } from './adwin.js';
import { ddm } from './ddm.js';
import type { DriftDetector } from './driftDetector.js';
import { kswin } from './kswin.js';
import { pageHinkley } from './pageHinkley.js';

const alarms = (d: DriftDetector, xs: readonly number[]) =>
  xs.flatMap((x, i) => {
    d.update(x);
    return d.driftDetected ? [i] : [];
  });
const repeat = (n: number, f: () => number) => Array.from({ length: n }, f);

/** Abrupt mean shifts every 1000 values (0 → 1 → 0 → 1.5, noise sd 0.5), then a stationary stream. */
const synthetic = (seed: number) => {
  const r = mulberry32(seed);
  const change = [0, 1, 0, 1.5].flatMap((m) => repeat(1000, () => m + 0.5 * gaussian(r)));
  const stationary = repeat(10_000, () => 0.5 * gaussian(r));
  return { change, stationary, changes: [1000, 2000, 3000] };
};

// Each change point must raise exactly one alarm, at most `maxDelay` values after it.
const expectDetected = (hits: number[], changes: number[], maxDelay: number) => {
  expect(hits).toHaveLength(changes.length);
  hits.forEach((h, i) => {
    expect(h).toBeGreaterThanOrEqual(changes[i]!);
    expect(h - changes[i]!).toBeLessThanOrEqual(maxDelay);
  });
};

describe('ADWIN', () => {
  it('detects each abrupt change within 64 values and never alarms on a stationary stream', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { change, stationary, changes } = synthetic(seed);
      expectDetected(alarms(adwin(), change), changes, 64);
      expect(alarms(adwin(), stationary)).toEqual([]);
    }
  });

  it('shrinks its window to the new concept and estimates its mean', () => {
    const d = adwin();
    const r = mulberry32(3);
    for (const x of repeat(1000, () => (r() < 0.5 ? 0 : 1))) d.update(x);
    expect(d.width).toBe(1000);
    expect(d.estimation).toBeCloseTo(0.5, 1);
    for (const x of repeat(500, () => 5 + r())) d.update(x);
    expect(d.width).toBeLessThan(500);
    expect(d.estimation).toBeGreaterThan(5);
  });
});

describe('Page-Hinkley', () => {
  it('detects each abrupt change (up and down) within 100 values and never alarms on a stationary stream', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { change, stationary, changes } = synthetic(seed);
      // delta = 0.1 σ: deviations smaller than that are tolerated
      expectDetected(alarms(pageHinkley({ delta: 0.05 }), change), changes, 100);
      expect(alarms(pageHinkley({ delta: 0.05 }), stationary)).toEqual([]);
    }
  });

  it('watches one direction with mode', () => {
    const { change } = synthetic(1);
    // only the rises at 1000 and 3000
    expect(
      alarms(pageHinkley({ delta: 0.05, mode: 'up' }), change).map((i) => Math.floor(i / 1000)),
    ).toEqual([1, 3]);
    expect(
      alarms(pageHinkley({ delta: 0.05, mode: 'down' }), change).map((i) => Math.floor(i / 1000)),
    ).toEqual([2]);
  });
});

describe('parity with River 0.26.1 (same input values, same alarm indices)', () => {
  // Streams drawn in this order from mulberry32(42); River's alarms computed on the same values.
  const r = mulberry32(42);
  const normal = [0, 1, -0.5].flatMap((m) => repeat(1000, () => m + gaussian(r) * 0.5));
  const bernoulli = [0.2, 0.5].flatMap((p) => repeat(1000, () => (r() < p ? 1 : 0)));
  const stationary = repeat(5000, () => gaussian(r));
  const ints = [
    ...repeat(1000, () => Math.floor(r() * 2)),
    ...repeat(1000, () => 4 + Math.floor(r() * 4)),
  ];

  it('ADWIN', () => {
    expect(alarms(adwin(), normal)).toEqual([1023, 2015]);
    expect(alarms(adwin(), bernoulli)).toEqual([1119]);
    expect(alarms(adwin(), stationary)).toEqual([]);
    expect(alarms(adwin(), ints)).toEqual([1023]);
  });

  it('Page-Hinkley (defaults)', () => {
    expect(alarms(pageHinkley(), normal)).toEqual([1042, 2012]);
    expect(alarms(pageHinkley(), bernoulli)).toEqual([1163]);
    // River's defaults do alarm on a long N(0, 1) stream: the same three times
    expect(alarms(pageHinkley(), stationary)).toEqual([3263, 3812, 4113]);
    expect(alarms(pageHinkley(), ints)).toEqual([1006]);
  });

  it('DDM, with its warning zone', () => {
    const d = ddm();
    let warnings = 0;
    const hits = bernoulli.flatMap((x, i) => {
      d.update(x);
      if (d.warningDetected) warnings++;
      return d.driftDetected ? [i] : [];
    });
    expect(hits).toEqual([1179]);
    expect(warnings).toBe(395);
  });
});

describe('KSWIN', () => {
  it('detects a distribution change soon after it and is quiet before', () => {
    const r = mulberry32(7);
    const xs = [
      ...repeat(1000, () => Math.floor(r() * 2)),
      ...repeat(1000, () => 4 + Math.floor(r() * 4)),
    ];
    const hits = alarms(kswin({ alpha: 0.0001, seed: 42 }), xs);
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(hits[0]).toBeGreaterThanOrEqual(1000);
    expect(hits[0]! - 1000).toBeLessThanOrEqual(30);
    expect(() => kswin({ windowSize: 50, statSize: 30 })).toThrow(/windowSize/);
  });
});

describe('detector snapshots', () => {
  it('restore mid-stream and raise the same alarms afterwards', () => {
    const { change } = synthetic(5);
    const makers: (() => DriftDetector)[] = [
      () => adwin(),
      () => pageHinkley({ delta: 0.05 }),
      () => ddm(),
      () => kswin({ alpha: 0.0001, seed: 1 }),
    ];
    for (const make of makers) {
      const input = make().name === 'ddm' ? change.map((x) => (x > 0.5 ? 1 : 0)) : change;
      const whole = alarms(make(), input);
      const first = make();
      alarms(first, input.slice(0, 1500));
      const second = make();
      second.restore(JSON.parse(JSON.stringify(first.snapshot())));
      const rest = alarms(second, input.slice(1500)).map((i) => i + 1500);
      expect(rest).toEqual(whole.filter((i) => i >= 1500));
    }
    expect(() => adwin().restore(ddm().snapshot())).toThrow(
      expect.objectContaining({ code: 'MONITOR_SNAPSHOT_INVALID' }),
    );
  });

  it('rejects non-finite input', () => {
    expect(() => adwin().update(Number.NaN)).toThrow(
      expect.objectContaining({ code: 'MONITOR_BAD_VALUE' }),
    );
  });
});
