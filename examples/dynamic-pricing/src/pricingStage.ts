import type { StageContext, StageObject } from '@tributary/core';
import type { Outcome, PriceRequest, PricingInput, Quote, Reward, Segment } from './events.js';
import { type Guardrails, guardrails as makeGuardrails } from './guardrails.js';
import { type PendingQuotes, pendingQuotes } from './pendingQuotes.js';
import { segmentBounds } from './priceGrid.js';
import { type PricingPolicy, type PricingPolicyOptions, pricingPolicy } from './pricingPolicy.js';

/** Options of {@link pricingStage}. */
export interface PricingStageOptions {
  readonly policy?: PricingPolicyOptions;
  /** Guardrails applied after the bandit. Default {@link makeGuardrails}(). */
  readonly guardrails?: Guardrails;
  /** How long a quote waits for its outcome, in event time. Default 4 hours. */
  readonly ttlMs?: number;
}

interface Pending {
  readonly segment: Segment;
  readonly context: Float64Array;
  readonly price: number;
  readonly policyVersion: string;
}

/** The pricing service's stage, with its parts exposed for the report and the tests. */
export interface PricingStage extends StageObject<PricingInput, Quote | Reward> {
  readonly policy: PricingPolicy;
  readonly pending: PendingQuotes<Pending>;
  /** Requests quoted and outcomes handled so far. */
  readonly seen: { requests: number; outcomes: number };
  /** Drift detections: segment and event time of the reward that set it off. */
  readonly detections: { readonly segment: Segment; readonly time: number }[];
}

/**
 * Requests → the bandit's price, clipped by the guardrails, as a quote with lineage (held for
 * the join). Outcomes → joined to their quote by request id within the TTL, the reward
 * (revenue / the segment's upper bound) updates the policy and goes out as a reward record.
 * Outcomes without a quote are counted in the stage's metrics (`outcomes.expired`,
 * `outcomes.unknown`), never dropped silently.
 */
export function pricingStage(options: PricingStageOptions = {}): PricingStage {
  const policy = pricingPolicy(options.policy);
  const rails = options.guardrails ?? makeGuardrails();
  const pending = pendingQuotes<Pending>(options.ttlMs ?? 4 * 3_600_000);
  const seen = { requests: 0, outcomes: 0 };
  const detections: { segment: Segment; time: number }[] = [];

  const quote = (r: PriceRequest, ctx: StageContext): Quote => {
    const expired = pending.expire(r.time);
    if (expired > 0) ctx.count('quotes.expired', expired);
    const choice = policy.choose(r);
    const price = rails.apply(r.segment, r.channel, r.time, choice.price);
    pending.add(r.id, r.time, {
      segment: r.segment,
      context: choice.context,
      price,
      policyVersion: choice.policyVersion,
    });
    seen.requests += 1;
    return {
      type: 'quote',
      id: r.id,
      segment: r.segment,
      channel: r.channel,
      time: r.time,
      price,
      banditPrice: choice.price,
      lineage: {
        policyVersion: choice.policyVersion,
        requestTopic: ctx.topic,
        requestPartition: ctx.partition,
        requestOffset: ctx.offset,
      },
    };
  };

  const join = (o: Outcome, ctx: StageContext): Reward | undefined => {
    seen.outcomes += 1;
    const found = pending.take(o.id, o.time);
    if (found.kind !== 'joined') {
      ctx.count(`outcomes.${found.kind}`);
      return undefined;
    }
    const q = found.quote;
    const reward = o.revenue / segmentBounds[q.segment][1];
    const drift = policy.learn(q.segment, q.context, q.price, o.sold, reward);
    if (drift) {
      ctx.count(`drift.${q.segment}`);
      detections.push({ segment: q.segment, time: o.time });
    }
    return {
      type: 'reward',
      id: o.id,
      segment: q.segment,
      price: q.price,
      sold: o.sold,
      revenue: o.revenue,
      reward,
      delayMs: found.delayMs,
      policyVersion: q.policyVersion,
      drift,
    };
  };

  return {
    name: 'pricing',
    policy,
    pending,
    seen,
    detections,
    process: (value, ctx) => (value.type === 'request' ? quote(value, ctx) : join(value, ctx)),
  };
}
