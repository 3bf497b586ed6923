import {
  type Bus,
  deadLetter,
  type Pipeline,
  pipeline,
  type StageContext,
  stringSerde,
  when,
} from '@tributary/core';
import type { Payment } from './transactions.js';

/** A payment with the card's running statistics and an anomaly score. */
export interface Scored extends Payment {
  readonly mean: number;
  readonly z: number;
  readonly alert: boolean;
}

interface CardStats {
  n: number;
  mean: number;
  m2: number;
}

/** Parses JSON text into a payment; throws on anything else (the record is dead-lettered). */
export function parsePayment(text: string): Payment {
  const v = JSON.parse(text) as Partial<Payment>;
  if (
    typeof v.card !== 'string' ||
    typeof v.amount !== 'number' ||
    typeof v.merchant !== 'string'
  ) {
    throw new Error('payment needs card (string), amount (number) and merchant (string)');
  }
  return v as Payment;
}

/** Scores a payment against its card's running mean and deviation (Welford), kept in keyed state. */
export function scorePayment(p: Payment, ctx: StageContext): Scored {
  const s = ctx.state.get<CardStats>() ?? { n: 0, mean: 0, m2: 0 };
  const std = s.n > 1 ? Math.sqrt(s.m2 / (s.n - 1)) : 0;
  const z = std > 0 ? (p.amount - s.mean) / std : 0;
  const n = s.n + 1;
  const delta = p.amount - s.mean;
  const mean = s.mean + delta / n;
  ctx.state.set<CardStats>({ n, mean, m2: s.m2 + delta * (p.amount - mean) });
  return { ...p, mean: s.mean, z, alert: s.n >= 5 && z > 4 };
}

/** The quickstart flow: payments → parse → score → all scores, alerts, dead letters. */
export function quickstartPipeline(
  bus: Bus,
  options: { stopAtEnd?: boolean } = {},
): Pipeline<Scored> {
  return pipeline(
    bus.source({
      serde: stringSerde(),
      topic: 'payments',
      group: 'quickstart',
      stopAtEnd: options.stopAtEnd ?? false,
    }),
  )
    .pipe(parsePayment, { name: 'parse', onError: deadLetter(bus.sink({ topic: 'payments.dlq' })) })
    .pipe(scorePayment, { name: 'score' })
    .to(
      bus.sink<Scored>({ topic: 'scores' }),
      when((s) => s.alert, bus.sink<Scored>({ topic: 'alerts' })),
    );
}
