import { gaussian, mulberry32 } from '@tributary/core';
import { byEventTime, type Replay, type ReplayRecord } from './replayRecord.js';
import type { Chargeback, Transaction } from './schema.js';

/** Options of {@link generateTransactions}. */
export interface GeneratorOptions {
  /** Transactions to generate (frauds included). Default 100000. */
  readonly transactions?: number;
  /** Cards. Default 2000. */
  readonly cards?: number;
  /** Days of event time the transactions span. Default 7. */
  readonly days?: number;
  /** Share of transactions that are fraud (approximate). Default 0.01. */
  readonly fraudRate?: number;
  /** Share of records made invalid (malformed JSON, schema violations). Default 0.001. */
  readonly invalidRate?: number;
  /** Share of chargebacks that come later than `lateAfterMs` (after the label TTL). Default 0.03. */
  readonly lateRate?: number;
  /** Delay from which a chargeback counts as late. Default 48 h (the flow's default TTL). */
  readonly lateAfterMs?: number;
  /** Event time of the first day, epoch ms. Default 2025-01-06T00:00Z. */
  readonly start?: number;
  readonly seed?: number;
}

/** Fraud patterns the generator injects. */
export type FraudPattern = 'card-testing' | 'odd-hour-amount' | 'new-merchant-spree';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;

interface Card {
  readonly id: string;
  /** Median amount (EUR), log-normal around it. */
  readonly typical: number;
  /** Hour of day the card is most used, and how spread its use is. */
  readonly peakHour: number;
  readonly spreadHours: number;
  readonly online: number;
  readonly merchants: readonly string[];
  /** Relative activity. */
  readonly weight: number;
}

/**
 * Card transactions with habits and injected fraud, plus their chargebacks, in event-time order.
 * Each card has a typical amount, a time of day it is used at, an online share and a few regular
 * merchants. Fraud comes in three patterns: card-testing bursts (many tiny online payments at new
 * merchants within minutes), unusual amounts at unusual hours, and sprees at new merchants. From
 * the middle of the span the odd-hour pattern drifts (daytime, smaller multiples) so a drift
 * detector has something to find. About 90 % of frauds get a chargeback, 6 h to 30 h later
 * (a `lateRate` share after `lateAfterMs`); the rest stay unreported, as in real life.
 * A few records are malformed JSON or break the schema, for the quarantine. Seeded: the same
 * options always give the same records.
 */
export function generateTransactions(options: GeneratorOptions = {}): Replay & {
  readonly fraudIds: ReadonlySet<string>;
  readonly patterns: Readonly<Record<FraudPattern, number>>;
} {
  const total = options.transactions ?? 100_000;
  const nCards = options.cards ?? 2000;
  const days = options.days ?? 7;
  const fraudRate = options.fraudRate ?? 0.01;
  const invalidRate = options.invalidRate ?? 0.001;
  const lateRate = options.lateRate ?? 0.03;
  const lateAfter = options.lateAfterMs ?? 2 * DAY;
  const start = options.start ?? Date.UTC(2025, 0, 6);
  const random = mulberry32(options.seed ?? 42);
  const span = days * DAY;
  const normal = () => gaussian(random);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const merchantPool = Array.from({ length: 600 }, (_, i) => `m-${String(i).padStart(3, '0')}`);
  const cards: Card[] = Array.from({ length: nCards }, (_, i) => ({
    id: `card-${String(i).padStart(5, '0')}`,
    typical: Math.exp(2.5 + random() * 2.5), // ~12 to ~150 EUR
    peakHour: 8 + random() * 12,
    spreadHours: 1.5 + random() * 3,
    online: random() * 0.5,
    merchants: Array.from({ length: 3 + Math.floor(random() * 10) }, () => pick(merchantPool)),
    weight: 0.2 + random() * 2,
  }));
  const totalWeight = cards.reduce((s, c) => s + c.weight, 0);
  const pickCard = (): Card => {
    let r = random() * totalWeight;
    for (const c of cards) {
      r -= c.weight;
      if (r <= 0) return c;
    }
    return cards[cards.length - 1] as Card;
  };
  const round = (x: number) => Math.round(x * 100) / 100;
  const dayStart = (t: number) => t - ((t - start) % DAY);

  const txs: (Transaction & { fraud: boolean })[] = [];
  const patterns: Record<FraudPattern, number> = {
    'card-testing': 0,
    'odd-hour-amount': 0,
    'new-merchant-spree': 0,
  };
  let n = 0;
  const add = (
    card: Card,
    time: number,
    amount: number,
    merchant: string,
    online: boolean,
    fraud: boolean,
  ) => {
    txs.push({
      id: `tx-${String(n++).padStart(8, '0')}`,
      cardId: card.id,
      time: Math.floor(time),
      amount: round(Math.max(0.01, amount)),
      currency: 'EUR',
      merchant,
      channel: online ? 'online' : 'pos',
      fraud,
    });
  };
  const newMerchant = () => `m-new-${Math.floor(random() * 5000)}`;

  const frauds = Math.round(total * fraudRate);
  let fraudTx = 0;
  while (fraudTx < frauds) {
    const card = pickCard();
    const t0 = start + random() * (span - HOUR);
    const drifted = t0 - start > span / 2;
    const kind = random();
    if (kind < 0.35) {
      // Card testing: a burst of tiny online payments, sometimes ending with a large one.
      const burst = 4 + Math.floor(random() * 8);
      for (let i = 0; i < burst; i++) {
        add(
          card,
          t0 + i * (5_000 + random() * 20_000),
          0.5 + random() * 2.5,
          newMerchant(),
          true,
          true,
        );
      }
      fraudTx += burst;
      patterns['card-testing'] += burst;
    } else if (kind < 0.7) {
      // Unusual amount at an unusual hour (after the drift: daytime, smaller multiples).
      const hour = drifted ? 10 + random() * 8 : 1 + random() * 4;
      const t = dayStart(t0) + hour * HOUR;
      const multiple = drifted ? 3 + random() * 3 : 6 + random() * 14;
      add(card, t, card.typical * multiple, newMerchant(), random() < 0.6, true);
      fraudTx += 1;
      patterns['odd-hour-amount'] += 1;
    } else {
      // A spree at new merchants within an hour.
      const spree = 2 + Math.floor(random() * 4);
      for (let i = 0; i < spree; i++) {
        add(
          card,
          t0 + random() * HOUR,
          card.typical * (1.5 + random() * 4),
          newMerchant(),
          random() < 0.8,
          true,
        );
      }
      fraudTx += spree;
      patterns['new-merchant-spree'] += spree;
    }
  }
  while (n < total) {
    const card = pickCard();
    const day = Math.floor(random() * days);
    const hour = (((card.peakHour + normal() * card.spreadHours) % 24) + 24) % 24;
    const t = start + day * DAY + hour * HOUR + random() * MINUTE;
    const merchant = random() < 0.9 ? pick(card.merchants) : pick(merchantPool);
    add(card, t, card.typical * Math.exp(normal() * 0.45), merchant, random() < card.online, false);
  }

  const records: ReplayRecord[] = [];
  const fraudIds = new Set<string>();
  let chargebacks = 0;
  for (const { fraud, ...tx } of txs) {
    records.push({ stream: 'transactions', key: tx.cardId, value: tx, time: tx.time });
    if (!fraud) continue;
    fraudIds.add(tx.id);
    if (random() >= 0.9) continue; // never reported
    const delay =
      random() < lateRate ? lateAfter + random() * lateAfter : 6 * HOUR + random() * 24 * HOUR;
    const cb: Chargeback = {
      transactionId: tx.id,
      cardId: tx.cardId,
      reportedAt: Math.floor(tx.time + delay),
      reason: 'fraud',
    };
    records.push({ stream: 'chargebacks', key: tx.cardId, value: cb, time: cb.reportedAt });
    chargebacks++;
  }
  // Broken input for the quarantine: malformed JSON and schema violations.
  const broken = Math.round(total * invalidRate);
  for (let i = 0; i < broken; i++) {
    const t = start + random() * span;
    const card = pickCard();
    const value =
      i % 3 === 0
        ? `{"id":"bad-${i}","cardId":"${card.id}","amount":`
        : i % 3 === 1
          ? {
              id: `bad-${i}`,
              cardId: card.id,
              time: Math.floor(t),
              amount: -5,
              currency: 'EUR',
              merchant: 'm-000',
              channel: 'pos',
            }
          : {
              id: `bad-${i}`,
              time: Math.floor(t),
              amount: '12',
              currency: 'USD',
              merchant: '',
              channel: 'atm',
            };
    records.push({ stream: 'transactions', key: card.id, value, time: Math.floor(t) });
  }
  return {
    records: byEventTime(records),
    transactions: txs.length,
    frauds: fraudIds.size,
    chargebacks,
    invalid: broken,
    mode: 'cards',
    description: `${txs.length.toLocaleString('en-US')} generated transactions of ${nCards.toLocaleString('en-US')} cards over ${days} days`,
    fraudIds,
    patterns,
  };
}
