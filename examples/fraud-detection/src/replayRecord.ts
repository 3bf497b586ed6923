/** One input record of a replay, before it is written to its topic. */
export interface ReplayRecord {
  /** Which input topic it goes to. */
  readonly stream: 'transactions' | 'chargebacks';
  /** The card id: transactions and chargebacks of a card share a key, so they share a partition. */
  readonly key: string;
  /** The JSON value, or raw text (the generator's malformed records). */
  readonly value: unknown;
  /** Event time, epoch ms; also the record timestamp. */
  readonly time: number;
}

/** A replay: input records in event-time order, and what is known about them. */
export interface Replay {
  readonly records: readonly ReplayRecord[];
  readonly transactions: number;
  readonly frauds: number;
  readonly chargebacks: number;
  /** Records that are not valid input (malformed JSON, schema violations). */
  readonly invalid: number;
  /** Whether per-card windows apply (generated cards) or not (the ULB file has no card id). */
  readonly mode: 'cards' | 'pca';
  /** What the replay is, for the summary. */
  readonly description: string;
}

/** Sorts replay records by event time; stable, so a record keeps its place among equals. */
export function byEventTime(records: ReplayRecord[]): ReplayRecord[] {
  return records.sort((a, b) => a.time - b.time);
}
