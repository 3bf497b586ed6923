/**
 * Elec2 for the broker tests of modelSync: the copy in packages/learn/test-data (Harries 1999,
 * normalised by Bifet; ODC-PDDL, see its ATTRIBUTION.md), as records keyed by week (336
 * half-hours) with features standardised by the first 2,000 rows, as the memory-bus test of
 * packages/learn streams it.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** One Elec2 record on the input topic: its index in time order, features, class (1 = UP). */
export interface Elec2Record {
  readonly i: number;
  readonly x: number[];
  readonly y: number;
}

/** The 45,312 records in time order, keyed by week. */
export function elec2Records(): { key: string; value: Elec2Record }[] {
  const file = new URL('../../learn/test-data/elec2_electricity.csv.gz', import.meta.url);
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n').slice(1);
  const raw = lines.map((l) => l.trim().split(','));
  const d = 8;
  const head = raw.slice(0, 2000).map((c) => c.slice(0, d).map(Number));
  const mean = Array.from(
    { length: d },
    (_, j) => head.reduce((s, r) => s + r[j]!, 0) / head.length,
  );
  const sd = mean.map((m, j) =>
    Math.sqrt(head.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / head.length),
  );
  return raw.map((c, i) => ({
    key: `week-${Math.floor(i / 336)}`,
    value: {
      i,
      x: c.slice(0, d).map((v, j) => (sd[j]! > 0 ? (Number(v) - mean[j]!) / sd[j]! : 0)),
      y: c[d] === 'UP' ? 1 : 0,
    },
  }));
}
