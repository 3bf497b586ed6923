import type { ErrorPolicy, StageContext, StageObject } from '@tributary/core';
import { type ValidationCounts, validate } from '@tributary/schema';
import { Chargeback, type FraudEvent, type FraudTopics, Transaction } from './schema.js';

/** The input check: a stage plus the counters of both schemas. */
export interface CheckInput extends StageObject<unknown, FraudEvent> {
  readonly name: string;
  counts(): { readonly transactions: ValidationCounts; readonly chargebacks: ValidationCounts };
}

/**
 * Decodes and validates raw input by the topic it came from (transactions or chargebacks) with
 * @tributary/schema's `validate`, and tags it. A rejected record goes to `onInvalid` (the
 * quarantine topic) with its original bytes, the reason code and every issue in its headers.
 */
export function checkInput(topics: FraudTopics, onInvalid: ErrorPolicy): CheckInput {
  const tx = validate(Transaction);
  const cb = validate(Chargeback);
  const tag = (kind: FraudEvent['kind']) => (v: object) => ({ kind, ...v }) as FraudEvent;
  const asTransaction = tag('transaction');
  const asChargeback = tag('chargeback');
  return {
    name: 'validate',
    retry: { retries: 0 },
    onError: onInvalid,
    process(raw: unknown, ctx: StageContext) {
      // Both schemas are synchronous, so validate returns values, not promises.
      return ctx.topic === topics.chargebacks
        ? asChargeback(cb.process(raw, ctx) as Chargeback)
        : asTransaction(tx.process(raw, ctx) as Transaction);
    },
    counts: () => ({ transactions: tx.counts(), chargebacks: cb.counts() }),
  };
}
