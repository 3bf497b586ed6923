import type { HistogramSnapshot } from '@tributary/core';
import type { FraudRunResult } from './flow.js';
import { RECENT } from './labelJoin.js';
import type { Replay } from './replayRecord.js';

/**
 * The value below which a share `q` of a histogram's observations fall, as the upper bound of
 * the bucket holding it (so at the runtime's bucket resolution, ten bounds per decade: …, 8,
 * 10, 12.5, 15, 20, 25 ms…). NaN for an empty histogram; the last bucket has no bound and gives Infinity.
 */
export function histogramQuantile(h: HistogramSnapshot, q: number): number {
  if (h.count === 0) return Number.NaN;
  const rank = q * h.count;
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    seen += h.counts[i] as number;
    if (seen >= rank) return h.bounds[i] ?? Number.POSITIVE_INFINITY;
  }
  return Number.POSITIVE_INFINITY;
}

const fmt = (x: number, digits = 3) => (Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
const int = (x: number) => Math.round(x).toLocaleString('en-US');

/** The summary as rows of (what, value), in the order printed. */
export function summaryRows(
  result: FraudRunResult,
  replay: Replay,
  bus: string,
): [string, string][] {
  const s = result.summary;
  const lat = s.metrics.latencyMs;
  const m = result.metrics;
  const dl = Object.entries(result.deadLetters)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return [
    ['input', replay.description],
    ['bus', bus],
    [
      'per-card windows',
      replay.mode === 'cards' ? '1 min, 1 h, 24 h, 7 d' : 'not applicable (no card id in the data)',
    ],
    ['transactions/s', int(result.transactions / (result.durationMs / 1000))],
    ['records (transactions + chargebacks + invalid)', int(s.recordsDone)],
    [
      'latency p50 / p99 (ms, bucket bound)',
      `${histogramQuantile(lat, 0.5)} / ${histogramQuantile(lat, 0.99)}`,
    ],
    [
      `ROC AUC test-then-train: whole run / last ${int(RECENT)} labels`,
      `${fmt(m.rocAuc ?? Number.NaN)} / ${fmt(m[`rolling(rocAuc,${RECENT})`] ?? Number.NaN)}`,
    ],
    [
      'PR AUC: whole run / recent',
      `${fmt(m.prAuc ?? Number.NaN)} / ${fmt(m[`rolling(prAuc,${RECENT})`] ?? Number.NaN)}`,
    ],
    [
      'recall at precision 0.9: whole run / recent',
      `${fmt(m['recallAtPrecision0.9'] ?? Number.NaN)} / ${fmt(m[`rolling(recallAtPrecision0.9,${RECENT})`] ?? Number.NaN)}`,
    ],
    ['alerts raised', int(result.alerts)],
    ['alert precision (labelled alerts)', fmt(result.alertPrecision)],
    ...(result.truePrecision === undefined
      ? []
      : ([
          [
            'alert precision / recall (ground truth)',
            `${fmt(result.truePrecision)} / ${fmt(result.trueRecall ?? Number.NaN)}`,
          ],
        ] as [string, string][])),
    ['alert threshold now (updates)', `${fmt(result.threshold, 4)} (${result.thresholdUpdates})`],
    ['frauds in input / chargebacks', `${int(replay.frauds)} / ${int(result.chargebacks)}`],
    [
      'labels: learnt / expired as legit / late chargebacks',
      `${int(result.labels.learned)} / ${int(result.labels.labelsExpired)} / ${int(result.labels.labelsUnmatched)}`,
    ],
    ['dead letters by reason', dl === '' ? 'none' : dl],
    [
      'model versions published / served',
      `${result.modelVersionsPublished} / ${result.versionsServed.length}`,
    ],
    ['drift events', int(result.driftEvents)],
    ...(result.checkpoints === undefined
      ? []
      : [
          [
            'checkpoints saved / failed (kafkaDurable)',
            `${int(result.checkpoints.saved)} / ${int(result.checkpoints.failed)}`,
          ] as [string, string],
        ]),
    ['run time', `${(result.durationMs / 1000).toFixed(1)} s`],
  ];
}

/** Prints the summary as a plain two-column table. */
export function printSummary(result: FraudRunResult, replay: Replay, bus: string): void {
  const rows = summaryRows(result, replay, bus);
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('\nSummary');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}
