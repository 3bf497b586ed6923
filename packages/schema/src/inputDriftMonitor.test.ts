import { jsonSerde, memoryBus, pipeline, run, silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { inputDriftMonitor } from './inputDriftMonitor.js';
import { fakeContext } from './internal/testing/fakeContext.js';
import { readCsv } from './internal/testing/readCsv.js';
import type { InputDriftEvent } from './profile.js';
import { profile } from './profile.js';

const elec = (file: string) =>
  readCsv(file).map((r) => ({ nswprice: Number(r.nswprice), class: r.class }));

describe('inputDriftMonitor', () => {
  it('sends drift events of real Elec2 prices to a sink, keyed by field', async () => {
    const ref = profile({ window: { records: 1000 } });
    const ctx = fakeContext();
    for (const row of elec('elec2-head.csv').slice(0, 1000)) ref.process(row, ctx);
    const reference = JSON.parse(JSON.stringify(ref.report()));

    const bus = memoryBus({ partitions: 1 });
    bus.produce(
      'prices',
      elec('elec2-late.csv').map((value) => ({ value })),
    );
    const summary = await run(
      pipeline(
        bus.source({
          serde: jsonSerde<{ nswprice: number; class: string }>(),
          topic: 'prices',
          group: 'monitor',
          stopAtEnd: true,
        }),
      )
        .pipe(
          inputDriftMonitor({
            window: { records: 1000 },
            drift: { reference, fields: ['nswprice'] },
          }),
        )
        .to(bus.sink({ topic: 'drift-alarms' })),
      { logger: silentLogger },
    ).done;
    const alarms = bus.records('drift-alarms', jsonSerde<InputDriftEvent>());
    expect(alarms.length).toBeGreaterThanOrEqual(1);
    expect(alarms[0]!.key).toBe('nswprice');
    expect(alarms[0]!.value).toMatchObject({ type: 'drift', field: 'nswprice' });
    expect(alarms[0]!.value.result.psi).toBeGreaterThan(0.2);
    expect(summary.recordsDone).toBe(2000);
    expect(summary.metrics.steps.inputDriftMonitor!.custom['drift.nswprice']).toBe(1);
  });
});
