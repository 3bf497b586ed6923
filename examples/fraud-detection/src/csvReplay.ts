import { readFileSync } from 'node:fs';
import { mulberry32, TributaryError } from '@tributary/core';
import { byEventTime, type Replay, type ReplayRecord } from './replayRecord.js';
import type { Chargeback, Transaction } from './schema.js';

/** Options of {@link csvReplay}. */
export interface CsvReplayOptions {
  /** Event time of `Time = 0`, epoch ms. Default 2013-09-01T00:00Z (the data set's month). */
  readonly start?: number;
  /** Chargeback delay range in ms (uniform). Default 2 h to 12 h. */
  readonly chargebackDelayMs?: readonly [number, number];
  readonly seed?: number;
}

const COLUMNS = ['Time', ...Array.from({ length: 28 }, (_, i) => `V${i + 1}`), 'Amount', 'Class'];

/**
 * A replay of a CSV in the ULB credit-card format (`Time,V1..V28,Amount,Class`), sorted by
 * `Time` (seconds from the first transaction). The file has no card or merchant: each row
 * becomes a transaction of its own pseudo-card (so per-card windows do not apply) carrying the
 * 28 PCA components; each `Class = 1` row gets a chargeback a random delay later. A header that
 * is not this format, or a bad cell, throws a TributaryError coded INVALID_OPTION.
 */
export function csvReplay(path: string, options: CsvReplayOptions = {}): Replay {
  const start = options.start ?? Date.UTC(2013, 8, 1);
  const [lo, hi] = options.chargebackDelayMs ?? [2 * 3_600_000, 12 * 3_600_000];
  const random = mulberry32(options.seed ?? 7);
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  if (header.join(',') !== COLUMNS.join(',')) {
    throw new TributaryError(
      'INVALID_OPTION',
      `${path}: expected the ULB header Time,V1..V28,Amount,Class`,
      {
        details: { header: header.slice(0, 5).join(',') },
      },
    );
  }
  const records: ReplayRecord[] = [];
  let frauds = 0;
  let chargebacks = 0;
  for (let i = 1; i < lines.length; i++) {
    const cells = (lines[i] as string).split(',').map((c) => Number(c.replace(/"/g, '')));
    if (cells.length !== COLUMNS.length || cells.some((c) => !Number.isFinite(c))) {
      throw new TributaryError(
        'INVALID_OPTION',
        `${path}:${i + 1}: expected ${COLUMNS.length} numbers`,
        {
          details: { line: i + 1 },
        },
      );
    }
    const time = start + Math.round((cells[0] as number) * 1000);
    const id = `ulb-${String(i).padStart(6, '0')}`;
    const tx: Transaction = {
      id,
      cardId: id,
      time,
      // ULB has zero amounts (card checks); the schema wants a positive one.
      amount: Math.max(0.01, cells[29] as number),
      currency: 'EUR',
      merchant: 'unknown',
      channel: 'pos',
      pca: cells.slice(1, 29),
    };
    records.push({ stream: 'transactions', key: id, value: tx, time });
    if (cells[30] === 1) {
      frauds++;
      const cb: Chargeback = {
        transactionId: id,
        cardId: id,
        reportedAt: Math.floor(time + lo + random() * (hi - lo)),
        reason: 'fraud',
      };
      records.push({ stream: 'chargebacks', key: id, value: cb, time: cb.reportedAt });
      chargebacks++;
    }
  }
  const transactions = lines.length - 1;
  return {
    records: byEventTime(records),
    transactions,
    frauds,
    chargebacks,
    invalid: 0,
    mode: 'pca',
    description: `${transactions.toLocaleString('en-US')} transactions from ${path} (ULB format; no card ids, so no per-card windows)`,
  };
}
