import type { StageContext, StageObject } from '@tributary/core';
import {
  count,
  distinct,
  featureVector,
  mean,
  sliding,
  standardScaler,
  std,
  type WindowedFeatures,
  windowedAggregates,
} from '@tributary/features';
import type { TransactionEvent } from './onTransactions.js';

/** A transaction with the raw features computed so far. */
export interface CardTransaction extends TransactionEvent {
  readonly f: Readonly<Record<string, number>>;
}

/** A transaction with its model input. */
export interface Featured {
  readonly kind: 'transaction';
  readonly tx: TransactionEvent;
  /** Named raw features (before scaling), for explanations and the predictions topic. */
  readonly features: Readonly<Record<string, number>>;
  /** The scaled feature vector, columns as `featureColumns(mode)`. */
  readonly x: Float64Array;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * One per-card sliding window of event time as a stage: @tributary/features'
 * `windowedAggregates` (count, amount mean and std, distinct merchants, kept in the card's keyed
 * state) with its results merged into the record's features as `n1h`, `mean1h`, ... The first
 * window also gives the time since the card's previous transaction.
 */
export function cardWindow(
  label: string,
  sizeMs: number,
): StageObject<CardTransaction, CardTransaction> {
  const window = windowedAggregates({
    name: `window${label}`,
    window: sliding(sizeMs),
    aggregates: {
      n: count(),
      mean: mean((t: CardTransaction) => t.amount),
      std: std((t: CardTransaction) => t.amount),
      merchants: distinct((t: CardTransaction) => t.merchant),
    },
    eventTime: (t) => t.time,
    // Replays are in event-time order; a card's rare out-of-order payment still counts.
    late: 'include',
  });
  return {
    name: `window${label}`,
    retry: { retries: 0 },
    process(t: CardTransaction, ctx: StageContext) {
      const w = window.process(t, ctx) as WindowedFeatures<
        CardTransaction,
        {
          n: number;
          mean: number | null;
          std: number | null;
          merchants: number;
        }
      >;
      const a = w.aggregates;
      const f: Record<string, number> = {
        ...t.f,
        [`n${label}`]: a.n,
        [`mean${label}`]: a.mean ?? t.amount,
        [`std${label}`]: a.std ?? 0,
        [`merchants${label}`]: a.merchants,
      };
      if (label === '1m') f.sinceLastS = w.sinceLastMs === null ? 7 * 86_400 : w.sinceLastMs / 1000;
      return { ...t, f };
    },
  };
}

/**
 * Whether the card paid this merchant before (among its last 64 merchants, in its keyed state):
 * `newMerchant` is 1 for a first payment there. Frauds favour merchants the card never used.
 */
export function merchantNovelty(): StageObject<CardTransaction, CardTransaction> {
  return {
    name: 'merchantNovelty',
    process(t, ctx) {
      const seen = ctx.state.get<string[]>() ?? [];
      const known = seen.includes(t.merchant);
      if (!known) {
        seen.push(t.merchant);
        if (seen.length > 64) seen.shift();
        ctx.state.set(seen);
      }
      return { ...t, f: { ...t.f, newMerchant: known || seen.length === 1 ? 0 : 1 } };
    },
  };
}

/** The windows of the default flow: 1 minute, 1 hour, 24 hours. */
export const CARD_WINDOWS = [
  ['1m', MINUTE],
  ['1h', HOUR],
  ['24h', 24 * HOUR],
] as const;

/** Starts a transaction's feature map (before the windows). */
export function startFeatures(t: TransactionEvent): CardTransaction {
  return { ...t, f: {} };
}

/** Named features of a transaction after the card windows: amounts relative to the card's habits. */
export function cardFeatures(t: CardTransaction): Record<string, number> {
  const f = t.f;
  const hour = ((t.time % 86_400_000) / HOUR) * ((2 * Math.PI) / 24);
  const logAmount = Math.log1p(t.amount);
  const std24 = f.std24h ?? 0;
  return {
    logAmount,
    amountZ24h: std24 > 0 ? (t.amount - (f.mean24h ?? t.amount)) / std24 : 0,
    ratio1h: t.amount / Math.max(1, f.mean1h ?? t.amount),
    ratio24h: t.amount / Math.max(1, f.mean24h ?? t.amount),
    // Both much smaller (card testing) and much larger amounts than usual are suspicious.
    absLogRatio24h: Math.abs(Math.log(t.amount / Math.max(0.01, f.mean24h ?? t.amount))),
    newMerchant: f.newMerchant ?? 0,
    n1m: f.n1m ?? 1,
    n1h: f.n1h ?? 1,
    n24h: f.n24h ?? 1,
    logMean1m: Math.log1p(f.mean1m ?? t.amount),
    newMerchants1h: (f.merchants1h ?? 1) / (f.n1h ?? 1),
    merchants24h: f.merchants24h ?? 1,
    logSinceLast: Math.log1p(f.sinceLastS ?? 0),
    hourSin: Math.sin(hour),
    hourCos: Math.cos(hour),
    online: t.channel === 'online' ? 1 : 0,
  };
}

/** Features of a ULB row: its 28 PCA components, the log amount and the hour (no card windows). */
export function pcaFeatures(t: TransactionEvent): Record<string, number> {
  const f: Record<string, number> = {};
  (t.pca ?? []).forEach((v, i) => {
    f[`V${i + 1}`] = v;
  });
  const hour = ((t.time % 86_400_000) / HOUR) * ((2 * Math.PI) / 24);
  f.logAmount = Math.log1p(t.amount);
  f.hourSin = Math.sin(hour);
  f.hourCos = Math.cos(hour);
  return f;
}

/**
 * Scaling and assembly as one stage: @tributary/features' `standardScaler` (running mean and
 * std, learnt from every transaction) and `featureVector` (fixed columns), so the model sees
 * z-scores in a stable column order.
 */
export function scaleFeatures(
  columns: readonly string[],
): StageObject<
  { readonly tx: TransactionEvent; readonly features: Record<string, number> },
  Featured
> {
  const scaler = standardScaler<Record<string, number>>({ fields: [...columns] });
  const vector = featureVector<Record<string, number>>({ columns });
  return {
    name: 'scale',
    process: ({ tx, features }) => ({
      kind: 'transaction',
      tx,
      features,
      x: vector.assemble(scaler.learnTransform(features)),
    }),
    snapshot: () => ({ scaler: scaler.snapshot(), vector: vector.snapshot() }),
  };
}

/** Feature columns of a mode, in vector order. */
export function featureColumns(mode: 'cards' | 'pca'): readonly string[] {
  const probe: TransactionEvent = {
    kind: 'transaction',
    id: '',
    cardId: '',
    time: 0,
    amount: 1,
    currency: 'EUR',
    merchant: '',
    channel: 'pos',
    pca: Array.from({ length: 28 }, () => 0),
  };
  return Object.keys(mode === 'cards' ? cardFeatures(startFeatures(probe)) : pcaFeatures(probe));
}
