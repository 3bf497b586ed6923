import {
  DeadLetterHeaders,
  deadLetter,
  headerToString,
  jsonSerde,
  memoryBus,
  pipeline,
  run,
  silentLogger,
} from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readCsv } from './internal/testing/readCsv.js';
import { json } from './json.js';
import { profile } from './profile.js';
import { qualityCheck } from './qualityCheck.js';
import { rule } from './rule.js';
import { validate } from './validate.js';

// End-to-end on the embedded bus: real Elec2 rows as JSON bytes, with a few broken ones.
const Elec = z.object({
  period: z.coerce.number().min(0).max(1),
  nswprice: z.coerce.number(),
  nswdemand: z.coerce.number(),
  class: z.enum(['UP', 'DOWN']),
});
const encoder = new TextEncoder();

function produceElec(bus: ReturnType<typeof memoryBus>, rows: number) {
  const good = readCsv('elec2-head.csv')
    .slice(0, rows)
    .map((r) => encoder.encode(JSON.stringify(r)));
  const bad = [
    new Uint8Array([0x7b, 0xff, 0x7d]), // not UTF-8
    encoder.encode('{"period": 0.1,'), // not JSON
    encoder.encode('{"period":2,"nswprice":"x","nswdemand":0.4,"class":"SIDEWAYS"}'), // invalid
  ];
  const values = [...good.slice(0, 10), ...bad, ...good.slice(10)];
  bus.produce(
    'elec',
    values.map((value, i) => ({ key: `k${i % 4}`, value })),
  );
  return { good: good.length, bad };
}

describe('schema stages in a running pipeline', () => {
  it('quarantines undecodable and invalid records with their bytes and issues; nothing is lost', async () => {
    const bus = memoryBus({ partitions: 2 });
    const { good, bad } = produceElec(bus, 500);
    const check = validate(Elec, { onInvalid: deadLetter(bus.sink({ topic: 'quarantine' })) });
    const quality = qualityCheck([rule.range('nswprice', { max: 0.1 }, { action: 'count' })]);
    const prof = profile({ window: { records: 10_000 } });
    const p = pipeline(bus.source({ topic: 'elec', group: 'g', stopAtEnd: true }))
      .pipe(check)
      .pipe(quality)
      .pipe(prof)
      .to(bus.sink({ topic: 'clean' }));
    const summary = await run(p, { logger: silentLogger }).done;

    expect(summary.recordsDone).toBe(good + 3);
    expect(summary.deadLettered).toBe(3);
    expect(bus.records('clean')).toHaveLength(good);
    const dead = bus.records('quarantine');
    const byCode = Object.fromEntries(
      dead.map((r) => [headerToString(r.headers[DeadLetterHeaders.code]), r]),
    );
    expect(Object.keys(byCode).sort()).toEqual([
      'SCHEMA_INVALID',
      'SCHEMA_NOT_JSON',
      'SCHEMA_NOT_UTF8',
    ]);
    // Original bytes, untouched.
    expect([...byCode.SCHEMA_NOT_UTF8!.value]).toEqual([...bad[0]!]);
    expect([...byCode.SCHEMA_INVALID!.value]).toEqual([...bad[2]!]);
    const details = JSON.parse(
      headerToString(byCode.SCHEMA_INVALID!.headers[DeadLetterHeaders.details])!,
    );
    expect(details.issues.map((i: { path: string[] }) => i.path.join('.'))).toEqual([
      'period',
      'nswprice',
      'class',
    ]);
    expect(headerToString(byCode.SCHEMA_INVALID!.headers[DeadLetterHeaders.stage])).toBe(
      'validate',
    );

    const custom = summary.metrics.steps.validate!.custom;
    expect(custom).toMatchObject({
      valid: good,
      invalid: 3,
      'invalid.not-utf8': 1,
      'invalid.not-json': 1,
      'invalid.schema': 1,
      'issues.period': 1,
      'issues.nswprice': 1,
      'issues.class': 1,
    });
    expect(check.counts().issuesByPath).toEqual({ period: 1, nswprice: 1, class: 1 });
    // Counted rule violations let records through; the profile saw every valid one.
    const over = readCsv('elec2-head.csv')
      .slice(0, 500)
      .filter((r) => Number(r.nswprice) > 0.1).length;
    expect(summary.metrics.steps.quality!.custom['rule.range:nswprice']).toBe(over);
    expect(prof.report().records).toBe(good);
  });

  it('dead-letters undecodable bytes at the source when json() is its serde', async () => {
    const bus = memoryBus();
    const { good } = produceElec(bus, 50);
    const p = pipeline(
      bus.source({ topic: 'elec', group: 'g', stopAtEnd: true, serde: json(Elec) }),
    ).to(bus.sink({ topic: 'clean' }));
    const summary = await run(p, {
      logger: silentLogger,
      onError: deadLetter(bus.sink({ topic: 'dlq' })),
    }).done;
    expect(bus.records('clean')).toHaveLength(good);
    const codes = bus.records('dlq').map((r) => headerToString(r.headers[DeadLetterHeaders.code]));
    expect(codes.sort()).toEqual(['SCHEMA_INVALID', 'SCHEMA_NOT_JSON', 'SCHEMA_NOT_UTF8']);
    expect(summary.deadLettered).toBe(3);
    // Values arrive typed and coerced: numbers, not the CSV's strings.
    expect(typeof bus.records('clean', jsonSerde<z.infer<typeof Elec>>())[0]!.value.nswprice).toBe(
      'number',
    );
  });
});
