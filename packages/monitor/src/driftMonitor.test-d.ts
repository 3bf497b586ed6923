import { pipeline, type Sink, type Source, when } from '@tributary/core';
import { describe, expectTypeOf, it } from 'vitest';
import { adwin, type DriftEvent, type DriftMonitor, driftMonitor, isDriftEvent } from './index.js';

interface Reading {
  readonly sensor: string;
  readonly celsius: number;
}

describe('driftMonitor types', () => {
  it('outputs the records and drift events; routes tell them apart', () => {
    const monitor = driftMonitor({ detector: adwin(), value: (r: Reading) => r.celsius });
    expectTypeOf(monitor).toEqualTypeOf<DriftMonitor<Reading>>();
    const outs = pipeline({} as Source<Reading>).pipe(monitor);
    const readings = {} as Sink<Reading>;
    const drifts = {} as Sink<DriftEvent>;
    outs.to(
      when(isDriftEvent, drifts),
      // The records: the negation of a guard needs its own guard type.
      when((o): o is Reading => !isDriftEvent(o), readings),
      when(
        isDriftEvent,
        (e) => {
          expectTypeOf(e).toEqualTypeOf<DriftEvent>();
          return `${e.detector} at ${e.offset}`;
        },
        {} as Sink<string>,
      ),
    );
    // @ts-expect-error drift events would reach a sink of readings
    outs.to(readings);
    // TypeScript infers no guard from `!isDriftEvent(o)` (a Reading could also be a DriftEvent
    // as far as it knows), so without the annotation the sink must take both.
    // @ts-expect-error drift events would reach a sink of readings
    outs.to(when((o) => !isDriftEvent(o), readings));
    // @ts-expect-error the value accessor takes the monitored record
    driftMonitor({ detector: adwin(), value: (r: Reading) => r.sensor });
  });
});
