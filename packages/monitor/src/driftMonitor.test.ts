import { type StageContext, silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { adwin } from './adwin.js';
import { isDriftEvent } from './driftEvent.js';
import { driftMonitor } from './driftMonitor.js';

const ctx = (offset: number): StageContext => ({
  topic: 'readings',
  partition: 1,
  offset,
  key: 'k',
  timestamp: offset * 10,
  headers: {},
  state: { get: () => undefined, set() {}, delete() {} },
  log: silentLogger,
  count() {},
  signal: new AbortController().signal,
});

describe('driftMonitor', () => {
  it('passes records through and adds a drift event after the one that triggered it', () => {
    const stage = driftMonitor({ detector: adwin(), value: (v: { t: number }) => v.t });
    const outs = Array.from({ length: 2000 }, (_, i) =>
      stage.process({ t: i < 1000 ? 0 : 10 }, ctx(i)),
    );
    const withDrift = outs.flatMap((o, i) =>
      typeof o === 'object' && o !== null && 'items' in o ? [[i, o.items]] : [],
    );
    expect(withDrift).toHaveLength(1);
    const [at, items] = withDrift[0] as [number, unknown[]];
    expect(at).toBeGreaterThanOrEqual(1000);
    expect(items).toEqual([
      { t: 10 },
      {
        type: 'drift',
        monitor: 'driftMonitor',
        detector: 'adwin',
        topic: 'readings',
        partition: 1,
        offset: at,
        timestamp: at * 10,
        value: 10,
        n: at + 1,
        action: 'none',
      },
    ]);
    expect(stage.process({ t: 10 }, ctx(3000))).toEqual({ t: 10 });
  });

  it('skips records without a value and snapshots its detector', () => {
    const stage = driftMonitor({ detector: adwin(), value: (v: { t?: number }) => v.t });
    expect(stage.process({}, ctx(0))).toEqual({});
    stage.process({ t: 1 }, ctx(1));
    const copy = driftMonitor({ detector: adwin(), value: (v: { t?: number }) => v.t });
    copy.restore!(JSON.parse(JSON.stringify(stage.snapshot!())));
    expect(copy.detector.n).toBe(1);
    expect(() => driftMonitor({ detector: {} as never, value: () => 1 })).toThrow(/detector/);
  });

  it('isDriftEvent tells detector alarms from other records', () => {
    expect(isDriftEvent({ type: 'drift', detector: 'adwin', offset: 3 })).toBe(true);
    // e.g. @tributary/schema's profile drift, or a plain value
    expect(isDriftEvent({ type: 'drift', field: 'amount', at: 1 })).toBe(false);
    expect(isDriftEvent('drift')).toBe(false);
  });
});
