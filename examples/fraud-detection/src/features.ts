import type { StageContext, StageObject } from '@tributary/core';
import {
  count,
  distinct,
  inputColumns,
  mean,
  type SlidingFeatures,
  sliding,
  standardScaler,
  std,
  vectorize,
  windowedAggregates,
} from '@tributary/features';
import type { TransactionEvent } from './onTransactions.js';

/**
 * A transaction with the card state computed so far: filled in place by the card stages (one
 * object per transaction through the feature stages, instead of a copy per stage).
 */
export interface CardTransaction extends TransactionEvent {
  readonly logAmount: number;
  /** Position of the event time on the 24 h clock, as sine and cosine of its angle. */
  readonly hourSin: number;
  readonly hourCos: number;
  /** 1 for a first payment at this merchant (see {@link merchantNovelty}). */
  newMerchant: number;
  /** Seconds since the card's previous payment (7 days for its first). */
  sinceLastS: number;
  /** The card windows' statistics (see {@link cardWindows}). */
  w: { readonly [K in keyof typeof CARD_WINDOWS]: CardWindowStats } | undefined;
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
const DAY = 24 * HOUR;
const TAU = 2 * Math.PI;

/** The card windows of the default flow, by name (the longest is the card's habit). */
export const CARD_WINDOWS = {
  '1m': MINUTE,
  '1h': HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
} as const;

/** Position of an event time on the 24 h clock, as an angle in radians. */
const hourAngle = (time: number) => ((time % DAY) / DAY) * TAU;

/**
 * The per-card windows as one stage: @tributary/features' `windowedAggregates` with its
 * `windows` option (1 min, 1 h, 24 h, 7 days of event time over one per-card buffer in the
 * card's keyed state): count, mean and std of the log amount, distinct merchants, and the mean
 * position on the 24 h clock (the card's usual time of day). The record gets the results as
 * `w`, and the time since the card's previous payment.
 */
export function cardWindows(): StageObject<CardTransaction, CardTransaction> {
  const windows = Object.fromEntries(
    Object.entries(CARD_WINDOWS).map(([name, size]) => [name, sliding(size)]),
  ) as { [K in keyof typeof CARD_WINDOWS]: ReturnType<typeof sliding> };
  const stage = windowedAggregates({
    name: 'cardWindows',
    windows,
    aggregates: {
      n: count(),
      logMean: mean((t: CardTransaction) => t.logAmount),
      logStd: std((t: CardTransaction) => t.logAmount, { ddof: 0 }),
      merchants: distinct((t: CardTransaction) => t.merchant),
      hourSin: mean((t: CardTransaction) => t.hourSin),
      hourCos: mean((t: CardTransaction) => t.hourCos),
    },
    eventTime: (t) => t.time,
    // Replays are in event-time order; a card's rare out-of-order payment still counts.
    late: 'include',
  });
  return {
    name: 'cardWindows',
    retry: { retries: 0 },
    process(t: CardTransaction, ctx: StageContext) {
      const w = stage.process(t, ctx) as SlidingFeatures<
        CardTransaction,
        keyof typeof CARD_WINDOWS,
        CardWindowStats
      >;
      t.w = w.aggregates;
      // An out-of-order payment (negative) counts as simultaneous.
      t.sinceLastS = w.sinceLastMs === null ? 7 * 86_400 : Math.max(0, w.sinceLastMs / 1000);
      return t;
    },
  };
}

/** What each card window gives (see {@link cardWindows}). */
export interface CardWindowStats {
  readonly n: number;
  readonly logMean: number | null;
  readonly logStd: number | null;
  readonly merchants: number;
  readonly hourSin: number | null;
  readonly hourCos: number | null;
}

/**
 * Whether the card paid this merchant before (among its last 64 merchants, in its keyed state):
 * `newMerchant` is 1 for a first payment there (0 for the card's first payment: nothing to
 * compare with). Frauds favour merchants the card never used.
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
      t.newMerchant = known || seen.length === 1 ? 0 : 1;
      return t;
    },
  };
}

/** Starts a transaction's features (before the card state): a copy the later stages fill in. */
export function startFeatures(t: TransactionEvent): CardTransaction {
  // Field by field: V8 builds `{ ...t, more }` on a slow path (~4 µs here, against 0.3).
  const angle = hourAngle(t.time);
  const c: CardTransaction = {
    kind: t.kind,
    id: t.id,
    cardId: t.cardId,
    time: t.time,
    amount: t.amount,
    currency: t.currency,
    merchant: t.merchant,
    channel: t.channel,
    logAmount: Math.log1p(t.amount),
    hourSin: Math.sin(angle),
    hourCos: Math.cos(angle),
    newMerchant: 0,
    sinceLastS: 0,
    w: undefined,
  };
  if (t.pca !== undefined) (c as { pca?: number[] }).pca = t.pca;
  return c;
}

/**
 * Leave-one-out z-score of `x` against a window that includes it: the card's habit from its
 * other payments. 0 with fewer than `minOthers` other payments; the std is floored at `floor`
 * (a card with near-constant amounts would otherwise make every change look extreme).
 */
function habitZ(s: CardWindowStats | undefined, x: number, floor: number, minOthers = 3): number {
  if (s === undefined || s.logMean === null || s.logStd === null) return 0;
  const n = s.n;
  if (n - 1 < minOthers) return 0;
  const mean = (n * s.logMean - x) / (n - 1);
  const m2 = Math.max(0, n * s.logStd * s.logStd - (x - s.logMean) * (x - mean));
  return (x - mean) / Math.max(floor, Math.sqrt(m2 / (n - 1)));
}

/** Named features of a transaction after the card state: amounts and times relative to the card's habits. */
export function cardFeatures(t: CardTransaction): Record<string, number> {
  const w = t.w;
  const x = t.logAmount;
  const { hourSin, hourCos } = t;
  const habit = w?.['7d'];
  const others = (habit?.n ?? 1) - 1;
  // The card's usual time of day, leaving this payment out: the mean clock vector of the others.
  let hourOff = 0;
  if (habit !== undefined && others >= 3) {
    const sx = ((habit.hourSin ?? 0) * habit.n - hourSin) / others;
    const cx = ((habit.hourCos ?? 0) * habit.n - hourCos) / others;
    const r = Math.hypot(sx, cx);
    // 0 at the usual hour, up to 2 opposite it, weighted by how regular the card is (r).
    if (r > 0) hourOff = (1 - (hourSin * sx + hourCos * cx) / r) * r;
  }
  const n1m = w?.['1m'].n ?? 1;
  const n1h = w?.['1h'].n ?? 1;
  const n24h = w?.['24h'].n ?? 1;
  const z7d = habitZ(habit, x, 0.2);
  return {
    logAmount: x,
    amountZ7d: z7d,
    // Both much smaller (card testing) and much larger amounts than usual are suspicious.
    absAmountZ7d: Math.abs(z7d),
    amountZ24h: habitZ(w?.['24h'], x, 0.2),
    logRatio1h: x - (w?.['1h'].logMean ?? x),
    newMerchant: t.newMerchant,
    logN1m: Math.log(n1m),
    logN1h: Math.log(n1h),
    logN24h: Math.log(n24h),
    newMerchantShare1h: (w?.['1h'].merchants ?? 1) / n1h,
    merchants24h: w?.['24h'].merchants ?? 1,
    logHistory: Math.log1p(others),
    hourOff,
    logSinceLast: Math.log1p(t.sinceLastS),
    hourSin,
    hourCos,
    online: t.channel === 'online' ? 1 : 0,
  };
}

/** Features of a ULB row: its 28 PCA components, the log amount and the hour (no card windows). */
export function pcaFeatures(t: TransactionEvent): Record<string, number> {
  const f: Record<string, number> = {};
  (t.pca ?? []).forEach((v, i) => {
    f[`V${i + 1}`] = v;
  });
  const angle = hourAngle(t.time);
  f.logAmount = Math.log1p(t.amount);
  f.hourSin = Math.sin(angle);
  f.hourCos = Math.cos(angle);
  return f;
}

/**
 * Scaling and assembly as one stage: @tributary/features' `standardScaler` (running mean and
 * std, learnt from every transaction) on the row form of `vectorize` (the named features decoded
 * once into a `Float64Array` in a fixed column order, scaled in place), so the model sees
 * z-scores in a stable column order.
 */
export function scaleFeatures(
  columns: readonly string[],
): StageObject<
  { readonly tx: TransactionEvent; readonly features: Record<string, number> },
  Featured
> {
  const rows = vectorize([inputColumns(columns), standardScaler()]);
  return {
    name: 'scale',
    process: ({ tx, features }) => ({
      kind: 'transaction',
      tx,
      features,
      // The vectorizer reuses its row: the record keeps a copy.
      x: rows.learn(features).slice(),
    }),
    snapshot: () => rows.snapshot(),
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
