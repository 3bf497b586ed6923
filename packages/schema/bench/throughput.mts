// Rough single-thread throughput of the hot stages on real Elec2 rows (not a test: numbers
// depend on the machine). Run: node_modules/.bin/tsx packages/schema/bench/throughput.mts
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { silentLogger } from '../../core/src/index.ts';
import { encryptFields, json, profile, validate } from '../src/index.ts';
import { readCsv } from '../src/internal/testing/readCsv.ts';

const rows = readCsv('elec2-head.csv');
const enc = new TextEncoder();
const bytes = rows.map((r) => enc.encode(JSON.stringify(r)));
const Elec = z.object({
  date: z.coerce.number(),
  day: z.coerce.number().int(),
  period: z.coerce.number(),
  nswprice: z.coerce.number(),
  nswdemand: z.coerce.number(),
  vicprice: z.coerce.number(),
  vicdemand: z.coerce.number(),
  transfer: z.coerce.number(),
  class: z.enum(['UP', 'DOWN']),
});
const ctx = {
  topic: 't',
  partition: 0,
  offset: 0,
  key: null,
  timestamp: 0,
  headers: {},
  state: { get: () => undefined, set() {}, delete() {} },
  log: silentLogger,
  count() {},
  signal: new AbortController().signal,
} as never;
function bench(name: string, n: number, fn: (i: number) => unknown) {
  for (let i = 0; i < 2000; i++) fn(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(
    `${name}: ${Math.round(n / s).toLocaleString('en')} records/s (${((s / n) * 1e6).toFixed(2)} µs/record)`,
  );
}
const serde = json(Elec);
const v = validate(Elec);
const p = profile();
const e = encryptFields(['nswprice', 'class'], { current: 'k', keys: { k: randomBytes(32) } });
const values = bytes.map((b) => serde.deserialize(b));
bench('json(Elec2 schema).deserialize', 200_000, (i) =>
  serde.deserialize(bytes[i % bytes.length]!),
);
bench('validate stage on bytes', 200_000, (i) => v.process(bytes[i % bytes.length]!, ctx));
bench('profile stage (9 fields, window 10k)', 200_000, (i) =>
  p.process(values[i % values.length], ctx),
);
bench('encryptFields (2 fields)', 100_000, (i) => e.process(values[i % values.length], ctx));
const t = process.hrtime.bigint();
p.report();
console.log(`profile report(): ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(1)} ms`);
