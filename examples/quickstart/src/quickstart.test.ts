import { DeadLetterHeaders, jsonSerde, memoryBus, run, silentLogger } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { quickstartPipeline, type Scored } from './quickstart.js';
import { paymentStream } from './transactions.js';

describe('quickstart', () => {
  it('scores every payment, raises alerts on bursts and dead-letters malformed ones', async () => {
    const bus = memoryBus({ partitions: 4 });
    const input = paymentStream(5_000);
    bus.produce('payments', input);
    const summary = await run(quickstartPipeline(bus, { stopAtEnd: true }), {
      logger: silentLogger,
    }).done;
    const malformed = input.filter((r) => !r.value.endsWith('}')).length;
    expect(malformed).toBe(10);
    expect(bus.records('scores')).toHaveLength(5_000 - malformed);
    const dlq = bus.records('payments.dlq');
    expect(dlq).toHaveLength(malformed);
    expect(dlq[0]?.headers[DeadLetterHeaders.stage]).toBe('parse');
    const alerts = bus.records('alerts', jsonSerde<Scored>());
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => a.value.alert && a.value.amount > a.value.mean)).toBe(true);
    expect(summary.recordsDone).toBe(5_000);
  });
});
