import { pipeline, run, silentLogger } from '@tributary/core';
import { describe, expect, inject, it } from 'vitest';
import { kafkaBus } from './kafkaBus.js';

describe.each(['kafkajs', 'confluent'] as const)('smoke (%s)', (client) => {
  it('round trip', async () => {
    const bus = kafkaBus({ brokers: inject('kafkaBrokers'), client, logLevel: 'error' });
    const id = `${client}-${Date.now()}`;
    await bus.admin.ensureTopics([
      { topic: `in-${id}`, partitions: 3 },
      { topic: `out-${id}`, partitions: 3 },
    ]);
    const seed = bus.sink<string>({ topic: `in-${id}` });
    await seed.open?.();
    await seed.write(
      Array.from({ length: 100 }, (_, i) => ({
        key: `k${i % 7}`,
        value: `v${i}`,
        headers: {},
        timestamp: Date.now(),
      })),
    );
    const p = pipeline(bus.source({ topic: `in-${id}`, group: `g-${id}`, stopAtEnd: true }))
      .pipe((v) => (v === null ? null : Buffer.from(v).toString().toUpperCase()))
      .to(bus.sink({ topic: `out-${id}` }));
    const summary = await run(p, { logger: silentLogger }).done;
    expect(summary.recordsDone).toBe(100);
    expect(await bus.admin.committed(`g-${id}`, `in-${id}`)).toHaveLength(3);
    await bus.close();
  });
});
