import { type ContextualBandit, linUcb } from '@tributary/learn';
import { adwin, type DriftDetector } from '@tributary/monitor';
import type { PriceRequest, Segment } from './events.js';
import { segmentPrices } from './priceGrid.js';

/** Options of {@link pricingPolicy}. */
export interface PricingPolicyOptions {
  /** LinUCB's exploration width α. Default 0.1. */
  readonly alpha?: number;
  /** Ridge penalty λ of the bandit: Default 1. */
  readonly lambda?: number;
  /** Sliding window of the bandit, in updates per segment. Default 4000. */
  readonly window?: number;
  /** ADWIN's confidence δ for the reward-surprise stream. Default 0.002. */
  readonly driftDelta?: number;
  /** Rewards a fresh segment policy learns from before drift is tested. Default 500. */
  readonly driftGrace?: number;
  /** Weight of the newest outcome in the recent conversion rate. Default 0.02. */
  readonly conversionRate?: number;
  /** Seed of the bandits' tie-breaks. Default 7. */
  readonly seed?: number;
}

/** A price choice for one request, with what the policy needs to learn from its outcome. */
export interface PriceChoice {
  readonly price: number;
  readonly context: Float64Array;
  readonly policyVersion: string;
}

/** A contextual pricing policy: one bandit per segment over the segment's grid prices. */
export interface PricingPolicy {
  /** The price the bandit picks for a request (before guardrails). */
  choose(request: PriceRequest): PriceChoice;
  /**
   * Learns the reward (in [0, 1]) of having quoted `price` in `context`; returns true when
   * the segment's drift detector fired and its policy started afresh.
   */
  learn(
    segment: Segment,
    context: Float64Array,
    price: number,
    sold: boolean,
    reward: number,
  ): boolean;
  /** Drift resets per segment so far. */
  readonly resets: Readonly<Record<Segment, number>>;
}

interface SegmentState {
  readonly prices: readonly number[];
  bandit: ContextualBandit;
  detector: DriftDetector;
  generation: number;
  updates: number;
  /** Running mean reward per arm since the last reset: the surprise is reward − this. */
  armMean: Float64Array;
  armCount: Float64Array;
  conversion: number;
}

const HOUR = 3_600_000;

/**
 * Per segment: a sliding-window LinUCB over context = (1, app channel, cyclic hour as sin/cos,
 * recent conversion rate of the segment), arms = the segment's grid prices, reward = revenue
 * over the segment's upper bound. ADWIN watches the reward surprise (reward minus the played
 * price's running mean): the policy's own moves between prices do not shift it, a change of
 * the market does; on a detection the segment's bandit starts afresh.
 */
export function pricingPolicy(options: PricingPolicyOptions = {}): PricingPolicy {
  const alpha = options.alpha ?? 0.1;
  const lambda = options.lambda ?? 1;
  const window = options.window ?? 4000;
  const delta = options.driftDelta ?? 0.002;
  const grace = options.driftGrace ?? 500;
  const rate = options.conversionRate ?? 0.02;
  const seed = options.seed ?? 7;
  const resets: Record<Segment, number> = { budget: 0, regular: 0, premium: 0 };
  const fresh = (segment: Segment, generation: number): SegmentState => {
    const prices = segmentPrices(segment);
    return {
      prices,
      bandit: linUcb({
        arms: prices.length,
        alpha,
        lambda,
        window,
        features: 5,
        seed: seed + generation,
      }),
      detector: adwin({ delta, gracePeriod: grace }),
      generation,
      updates: 0,
      armMean: new Float64Array(prices.length),
      armCount: new Float64Array(prices.length),
      conversion: 0.5,
    };
  };
  const states = new Map<Segment, SegmentState>();
  const stateOf = (segment: Segment): SegmentState => {
    let s = states.get(segment);
    if (s === undefined) {
      s = fresh(segment, 0);
      states.set(segment, s);
    }
    return s;
  };
  return {
    resets,
    choose(request) {
      const s = stateOf(request.segment);
      const angle = (2 * Math.PI * ((request.time % (24 * HOUR)) / HOUR)) / 24;
      const context = Float64Array.of(
        1,
        request.channel === 'app' ? 1 : 0,
        Math.sin(angle),
        Math.cos(angle),
        s.conversion,
      );
      const arm = s.bandit.select(context);
      return {
        price: s.prices[arm]!,
        context,
        policyVersion: `${request.segment}.g${s.generation}.u${s.updates}`,
      };
    },
    learn(segment, context, price, sold, reward) {
      let s = stateOf(segment);
      const arm = s.prices.indexOf(price);
      if (arm < 0) throw new RangeError(`${price} is not a ${segment} price`);
      s.bandit.update(arm, context, reward);
      s.updates += 1;
      s.conversion += rate * ((sold ? 1 : 0) - s.conversion);
      const n = s.armCount[arm]! + 1;
      const surprise = reward - s.armMean[arm]!;
      s.armCount[arm] = n;
      s.armMean[arm] = s.armMean[arm]! + surprise / n;
      // The first rewards of a price are all surprise: only prices seen a few times count.
      if (n > 5) s.detector.update(surprise);
      if (!s.detector.driftDetected) return false;
      resets[segment] += 1;
      const conversion = s.conversion;
      s = fresh(segment, s.generation + 1);
      s.conversion = conversion;
      states.set(segment, s);
      return true;
    },
  };
}
