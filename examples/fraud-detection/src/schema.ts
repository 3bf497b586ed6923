import { z } from 'zod';

/** A card payment as the card processor writes it to the `transactions` topic (JSON). */
export const Transaction = z.object({
  id: z.string().min(1),
  cardId: z.string().min(1),
  /** Event time: epoch milliseconds of the authorisation. */
  time: z.number().int().nonnegative(),
  amount: z.number().positive().max(1_000_000),
  currency: z.literal('EUR'),
  merchant: z.string().min(1),
  channel: z.enum(['pos', 'online']),
  /** The ULB data set's 28 anonymised PCA components, when replaying it (`--data`). */
  pca: z.array(z.number()).length(28).optional(),
});
export type Transaction = z.infer<typeof Transaction>;

/** A chargeback on the `chargebacks` topic: the label of a transaction, days later. */
export const Chargeback = z.object({
  transactionId: z.string().min(1),
  cardId: z.string().min(1),
  /** Event time of the report, epoch milliseconds. */
  reportedAt: z.number().int().nonnegative(),
  reason: z.string().default('fraud'),
});
export type Chargeback = z.infer<typeof Chargeback>;

/** A validated input record, tagged by the topic it came from. */
export type FraudEvent =
  | ({ readonly kind: 'transaction' } & Transaction)
  | ({ readonly kind: 'chargeback' } & Chargeback);

/** Topic names of the flow; every one can be renamed (Kafka runs use a per-run suffix). */
export interface FraudTopics {
  readonly transactions: string;
  readonly chargebacks: string;
  readonly quarantine: string;
  readonly predictions: string;
  readonly alerts: string;
  readonly drift: string;
  readonly models: string;
  /** Changelog of the flow's keyed state on Kafka (see durableOnKafka in kafkaDurable.ts). */
  readonly state: string;
}

/** The default topic names, optionally suffixed (e.g. `transactions-1a2b`). */
export function fraudTopics(suffix = ''): FraudTopics {
  const t = (name: string) => (suffix === '' ? name : `${name}-${suffix}`);
  return {
    transactions: t('transactions'),
    chargebacks: t('chargebacks'),
    quarantine: t('transactions.quarantine'),
    predictions: t('predictions'),
    alerts: t('alerts'),
    drift: t('model-drift'),
    models: t('fraud-models'),
    state: t('fraud-state'),
  };
}

/** Event time of an input record. */
export function eventTimeOf(e: FraudEvent): number {
  return e.kind === 'transaction' ? e.time : e.reportedAt;
}
