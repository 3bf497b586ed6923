import { json } from '@tributary/schema';
import { z } from 'zod';

/** Customer segments of the simulated market. */
export const segments = ['budget', 'regular', 'premium'] as const;
export type Segment = (typeof segments)[number];

/** Sales channels. */
export const channels = ['web', 'app'] as const;
export type Channel = (typeof channels)[number];

/** A shopper asks for a price (topic `price-requests`, keyed by `id`). */
export const priceRequestSchema = z.object({
  type: z.literal('request'),
  id: z.string().min(1),
  segment: z.enum(segments),
  channel: z.enum(channels),
  /** Event time, ms since the epoch. */
  time: z.number().int(),
});
export type PriceRequest = z.infer<typeof priceRequestSchema>;

/** What happened after a quote (topic `outcomes`, keyed by the request `id`, arrives later). */
export const outcomeSchema = z.object({
  type: z.literal('outcome'),
  id: z.string().min(1),
  sold: z.boolean(),
  /** Price paid, 0 without a sale. */
  revenue: z.number().nonnegative(),
  /** Event time of the outcome, ms since the epoch (after the request's). */
  time: z.number().int(),
});
export type Outcome = z.infer<typeof outcomeSchema>;

/** The pricing service's input: both topics in one source, so a quote and its outcome co-partition. */
export const pricingInputSchema = z.discriminatedUnion('type', [priceRequestSchema, outcomeSchema]);
export type PricingInput = z.infer<typeof pricingInputSchema>;

/** A price quoted to one request (topic `price-quotes`), with its lineage. */
export const quoteSchema = z.object({
  type: z.literal('quote'),
  id: z.string().min(1),
  segment: z.enum(segments),
  channel: z.enum(channels),
  time: z.number().int(),
  price: z.number().positive(),
  /** Grid price the bandit picked before the guardrails. */
  banditPrice: z.number().positive(),
  lineage: z.object({
    /** `<segment>.g<generation>.u<updates>`: which policy state quoted it. */
    policyVersion: z.string(),
    requestTopic: z.string(),
    requestPartition: z.number().int().nonnegative(),
    requestOffset: z.number().int().nonnegative(),
  }),
});
export type Quote = z.infer<typeof quoteSchema>;

/** A quote joined with its outcome: the reward the policy learnt from (topic `price-rewards`). */
export const rewardSchema = z.object({
  type: z.literal('reward'),
  id: z.string().min(1),
  segment: z.enum(segments),
  price: z.number().positive(),
  sold: z.boolean(),
  revenue: z.number().nonnegative(),
  /** Revenue divided by the segment's upper price bound, in [0, 1]. */
  reward: z.number().min(0).max(1),
  /** Outcome time minus quote time, ms. */
  delayMs: z.number().nonnegative(),
  policyVersion: z.string(),
  /** True when the segment's drift detector fired on this reward and the policy was reset. */
  drift: z.boolean(),
});
export type Reward = z.infer<typeof rewardSchema>;

/** Serdes of every topic of the example (zod-checked JSON). */
export const serdes = {
  requests: json(priceRequestSchema),
  outcomes: json(outcomeSchema),
  pricingInput: json(pricingInputSchema),
  quotes: json(quoteSchema),
  rewards: json(rewardSchema),
};

/** Topic names. */
export const topics = {
  requests: 'price-requests',
  outcomes: 'outcomes',
  quotes: 'price-quotes',
  rewards: 'price-rewards',
} as const;
