/**
 * The fraud flow's per-card windows alone (issue 9): `startFeatures` → `cardWindows` (four
 * sliding windows × six statistics in one `windowedAggregates` stage over keyed state) →
 * `cardFeatures`, on the generated transactions, outside the runtime. Prints the main thread's
 * CPU time per transaction (Linux schedstat, so other jobs on the machine count less than in
 * wall time), the best of `--rounds`, and a digest of every window result and feature, which a
 * pure optimisation must leave unchanged.
 *
 *   npx tsx bench/src/fraudCardWindows.ts [-n 100000] [--rounds 7]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type KeyedState, type StageContext, silentLogger } from '@tributary/core';
import { Command } from 'commander';
import {
  type CardTransaction,
  cardFeatures,
  cardWindows,
  startFeatures,
} from '../../examples/fraud-detection/src/features.js';
import { generateTransactions } from '../../examples/fraud-detection/src/generator.js';
import type { TransactionEvent } from '../../examples/fraud-detection/src/onTransactions.js';

const opts = new Command()
  .option('-n, --transactions <n>', 'transactions', (v) => Number.parseInt(v, 10), 100_000)
  .option('--rounds <n>', 'timed rounds', (v) => Number.parseInt(v, 10), 7)
  .parse()
  .opts<{ transactions: number; rounds: number }>();

/** The main thread's time on a CPU so far, in ms (wall time where schedstat is missing). */
const onCpu = (): number => {
  try {
    const run = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0];
    return Number(run) / 1e6;
  } catch {
    return performance.now();
  }
};

const replay = generateTransactions({ transactions: opts.transactions, cards: 4000 });
// The valid transactions, as the validate stage tags them.
const txs: TransactionEvent[] = [];
for (const r of replay.records) {
  const v = r.value as Partial<TransactionEvent> | string;
  if (r.stream !== 'transactions' || typeof v !== 'object') continue;
  if (typeof v.cardId !== 'string' || typeof v.merchant !== 'string' || !((v.amount ?? 0) > 0))
    continue;
  txs.push({ ...(v as TransactionEvent), kind: 'transaction' });
}

// Keyed state of one partition, by card (what core's memory state store gives a stage).
const store = new Map<string, unknown>();
let card = '';
const state: KeyedState = {
  get: <T>() => store.get(card) as T | undefined,
  set: (value) => void store.set(card, value),
  delete: () => void store.delete(card),
};
const ctx = {
  topic: 'transactions',
  partition: 0,
  offset: 0,
  key: '',
  timestamp: 0,
  headers: {},
  state,
  log: silentLogger,
  count() {},
} as unknown as StageContext & { key: string };

const digest = createHash('sha256');
let best = Number.POSITIVE_INFINITY;
for (let round = 0; round <= opts.rounds; round++) {
  // Round 0 warms up; the last one also hashes every result (not timed).
  const hashing = round === opts.rounds;
  store.clear();
  const windows = cardWindows();
  const t0 = onCpu();
  for (const tx of txs) {
    card = tx.cardId;
    ctx.key = tx.cardId;
    const c = startFeatures(tx);
    windows.process(c, ctx);
    const f = cardFeatures(c as CardTransaction);
    if (hashing) digest.update(`${JSON.stringify(c.w)}${c.sinceLastS}${JSON.stringify(f)}`);
  }
  const us = ((onCpu() - t0) * 1000) / txs.length;
  if (round > 0 && !hashing) best = Math.min(best, us);
}
console.log(
  `card windows: ${best.toFixed(2)} µs of CPU per transaction (best of ${opts.rounds - 1} rounds, ${txs.length.toLocaleString('en-US')} transactions of 4,000 cards); digest ${digest.digest('hex').slice(0, 16)}`,
);
