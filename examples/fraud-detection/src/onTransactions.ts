import type { Stage, StageObject } from '@tributary/core';
import type { FraudEvent } from './schema.js';

/** A validated chargeback record. */
export type ChargebackEvent = Extract<FraudEvent, { kind: 'chargeback' }>;

/** A validated transaction record. */
export type TransactionEvent = Extract<FraudEvent, { kind: 'transaction' }>;

/**
 * Runs `stage` on transactions only and passes chargebacks through unchanged, so both kinds of
 * record share one pipeline (and one partition per card) while only transactions get features
 * and scores. Lifecycle hooks (`open`, `flush`, `close`, `snapshot`, `restore`) are the stage's.
 */
export function onTransactions<I, O>(
  stage: Stage<I, O>,
  name?: string,
): StageObject<I | ChargebackEvent, O | ChargebackEvent> {
  const inner: StageObject<I, O> = typeof stage === 'function' ? { process: stage } : stage;
  const process = inner.process;
  const isChargeback = (v: I | ChargebackEvent): v is ChargebackEvent =>
    (v as { kind?: unknown }).kind === 'chargeback';
  const out: StageObject<I | ChargebackEvent, O | ChargebackEvent> = {
    process: (value, ctx) => (isChargeback(value) ? value : process(value as I, ctx)),
  };
  const named = name ?? inner.name;
  return Object.assign(
    out,
    named === undefined ? {} : { name: named },
    inner.retry === undefined ? {} : { retry: inner.retry },
    inner.onError === undefined ? {} : { onError: inner.onError },
    inner.open === undefined ? {} : { open: inner.open.bind(inner) },
    inner.flush === undefined ? {} : { flush: inner.flush.bind(inner) },
    inner.close === undefined ? {} : { close: inner.close.bind(inner) },
    inner.snapshot === undefined ? {} : { snapshot: inner.snapshot.bind(inner) },
    inner.restore === undefined ? {} : { restore: inner.restore.bind(inner) },
  );
}
