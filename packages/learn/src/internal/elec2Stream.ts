// Test and benchmark helper only (not public): Elec2 as a keyed stream for scale-out runs.
import { elec2, Scaler } from './testData.js';

/** One Elec2 row on a topic: scaled features and the label. */
export interface Elec2Row {
  readonly x: number[];
  readonly y: boolean;
}

/**
 * Elec2 as records keyed by week (48 half-hours × 7 days), so a consumer group spreads whole
 * weeks over its members and each worker sees a different part of the stream. The features
 * are standardised with the statistics of the first 2,000 rows, the same for every worker.
 */
export function elec2Stream(): { key: string; value: Elec2Row }[] {
  const e = elec2();
  const scaler = new Scaler(e.names.length);
  for (const x of e.x.slice(0, 2000)) scaler.learn(x);
  return e.x.map((x, i) => ({
    key: `week-${Math.floor(i / 336)}`,
    value: { x: Array.from(scaler.transform(x)), y: e.y[i]! },
  }));
}
