import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { jsonSerde, memoryBus, pipeline, run, silentLogger } from '@tributary/core';
import { type FeatureVector, featureVector, standardScaler } from '@tributary/features';
import { asBinary, hoeffdingTree, logisticRegression } from '@tributary/learn';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import { prequential } from './prequential.js';

// Elec2 (Harries 1999, normalised by Bifet; ODC-PDDL), the copy kept with its attribution in
// packages/learn/test-data/ATTRIBUTION.md. In time order, as River streams it.
const columns = [
  'date',
  'day',
  'period',
  'nswprice',
  'nswdemand',
  'vicprice',
  'vicdemand',
  'transfer',
] as const;
type Row = Record<(typeof columns)[number], number> & { up: boolean };

function elec2(): Row[] {
  const file = new URL('../../learn/test-data/elec2_electricity.csv.gz', import.meta.url);
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const cells = line.split(',');
    const row = Object.fromEntries(columns.map((c, i) => [c, Number(cells[i])])) as unknown as Row;
    row.up = cells[8]?.trim() === 'UP';
    return row;
  });
}

/** Elec2 through a whole pipeline on the memory bus: scale → vector → test-then-train. */
async function prequentialAccuracy(
  model: Parameters<typeof prequential>[0]['model'],
  scale: boolean,
) {
  const rows = elec2();
  const bus = memoryBus();
  bus.produce(
    'elec2',
    rows.map((value) => ({ value })),
  );
  const acc = accuracy();
  const scorer = prequential({
    name: 'elec2',
    model,
    features: (v: FeatureVector<Row>) => v.x,
    label: (v) => v.value.up,
    metrics: [acc],
  });
  const start = pipeline(
    bus.source({ serde: jsonSerde<Row>(), topic: 'elec2', group: 'eval', stopAtEnd: true }),
  );
  const scaled = scale ? start.pipe(standardScaler<Row>({ fields: [...columns] })) : start;
  const summary = await run(
    scaled
      .pipe(featureVector<Row>({ columns: [...columns] }))
      .pipe(scorer)
      .to(bus.sink({ topic: 'scores' })),
    { logger: silentLogger },
  ).done;
  expect(summary.recordsDone).toBe(rows.length);
  expect(scorer.stats().learned).toBe(rows.length);
  return acc.get();
}

describe('Elec2 test-then-train through a pipeline (River: LR 0.822, Hoeffding tree 0.796)', () => {
  it('standard scaler + logistic regression reaches accuracy >= 0.82', async () => {
    expect(await prequentialAccuracy(logisticRegression(), true)).toBeGreaterThanOrEqual(0.82);
  });

  it('Hoeffding tree reaches accuracy >= 0.79', async () => {
    expect(await prequentialAccuracy(asBinary(hoeffdingTree()), false)).toBeGreaterThanOrEqual(
      0.79,
    );
  });
});
