import type { Channel, Outcome, PriceRequest, Quote, Segment } from './events.js';
import { uniform } from './uniform.js';

const HOUR = 3_600_000;

/** Demand of one segment: median willingness to pay and its spread (smaller = more price-sensitive). */
export interface SegmentDemand {
  readonly wtp: number;
  readonly spread: number;
}

/** A known change of the market. */
export interface MarketShift {
  readonly name: string;
  readonly segment: Segment;
  /** Hour of the run from which the new demand holds. */
  readonly hour: number;
  readonly demand: SegmentDemand;
}

/** Options of {@link market}. */
export interface MarketOptions {
  /** Seed of every draw. Default 1. */
  readonly seed?: number;
  /** Simulated days. Default 30. */
  readonly days?: number;
  /** Mean requests per hour at the daily peak. Default 110. */
  readonly peakRequestsPerHour?: number;
  /** Whether the market shifts (at a third and two thirds of the run). Default true. */
  readonly shifts?: boolean;
}

/** The simulated market: demand curves by context, their known shifts, requests and outcomes. */
export interface Market {
  readonly seed: number;
  readonly hours: number;
  /** Event time of hour 0 (ms since the epoch). */
  readonly start: number;
  readonly shifts: readonly MarketShift[];
  /** Probability that the shopper of `request` buys at `price`. */
  buyProbability(request: PriceRequest, price: number): number;
  /** The requests of hour `h` of the run, in time order (the same for a seed, every time). */
  requests(h: number): PriceRequest[];
  /** The shopper's answer to a quote, with the time it becomes known (a sale or an abandoned session). */
  respond(quote: Pick<Quote, 'id' | 'price' | 'time'>, request: PriceRequest): Outcome;
  /** Whether the shopper of `request` buys at `price` (the same hidden draw as {@link respond}). */
  buys(request: PriceRequest, price: number): boolean;
  /** Hour of the run of an event time. */
  hourOf(time: number): number;
}

const baseDemand: Record<Segment, SegmentDemand> = {
  budget: { wtp: 14, spread: 3 },
  regular: { wtp: 27, spread: 5 },
  premium: { wtp: 46, spread: 9 },
};
const segmentShare: Record<Segment, number> = { budget: 0.45, regular: 0.35, premium: 0.2 };
/** App shoppers pay a little more than web shoppers. */
const channelFactor: Record<Channel, number> = { web: 1, app: 1.12 };
const appShare = 0.4;

/** Willingness to pay over the day: highest in the evening (about 20:00), lowest at night. */
function hourFactor(hourOfDay: number): number {
  return 1 + 0.12 * Math.sin((2 * Math.PI * (hourOfDay - 14)) / 24);
}

/** Traffic over the day: a night trough and an evening peak, relative to the peak. */
function trafficFactor(hourOfDay: number): number {
  return 0.55 + 0.45 * Math.sin((2 * Math.PI * (hourOfDay - 14)) / 24);
}

function logistic(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * A seeded market of three segments × two channels × 24 hours. A shopper buys at price p with
 * probability σ((w − p) / s), w the context's willingness to pay and s the segment's spread, so
 * the revenue-maximising price differs by context. On day 10 a competitor enters and the budget
 * segment becomes more price-sensitive; on day 20 the season shifts premium demand up.
 */
export function market(options: MarketOptions = {}): Market {
  const seed = options.seed ?? 1;
  const days = options.days ?? 30;
  const peak = options.peakRequestsPerHour ?? 110;
  const hours = Math.round(days * 24);
  const start = Date.UTC(2026, 0, 5);
  const shifts: MarketShift[] =
    options.shifts === false
      ? []
      : [
          {
            name: 'competitor enters (budget more price-sensitive)',
            segment: 'budget',
            hour: Math.round(hours / 3),
            demand: { wtp: 12, spread: 1.8 },
          },
          {
            name: 'season shift (premium pays more)',
            segment: 'premium',
            hour: Math.round((2 * hours) / 3),
            demand: { wtp: 60, spread: 10 },
          },
        ];
  const hourOf = (time: number) => Math.floor((time - start) / HOUR);
  const demandAt = (segment: Segment, hour: number): SegmentDemand => {
    let d = baseDemand[segment];
    for (const s of shifts) if (s.segment === segment && hour >= s.hour) d = s.demand;
    return d;
  };
  const buyProbability = (request: PriceRequest, price: number): number => {
    const hour = hourOf(request.time);
    const d = demandAt(request.segment, hour);
    const w = d.wtp * channelFactor[request.channel] * hourFactor(((hour % 24) + 24) % 24);
    return logistic((w - price) / d.spread);
  };
  const buys = (request: PriceRequest, price: number) =>
    uniform(seed, request.id, 'buy') < buyProbability(request, price);

  return {
    seed,
    hours,
    start,
    shifts,
    buyProbability,
    buys,
    hourOf,
    requests(h) {
      const mean = peak * trafficFactor(h % 24);
      // Requests per hour: mean ± 20 %, then each request's segment, channel and minute.
      const n = Math.round(mean * (0.8 + 0.4 * uniform(seed, 'hour', h)));
      const out: PriceRequest[] = [];
      for (let i = 0; i < n; i++) {
        const id = `r${h}-${i}`;
        const s = uniform(seed, id, 'segment');
        const segment: Segment =
          s < segmentShare.budget
            ? 'budget'
            : s < segmentShare.budget + segmentShare.regular
              ? 'regular'
              : 'premium';
        const channel: Channel = uniform(seed, id, 'channel') < appShare ? 'app' : 'web';
        const time = start + h * HOUR + Math.floor(((i + uniform(seed, id, 'time')) / n) * HOUR);
        out.push({ type: 'request', id, segment, channel, time });
      }
      return out;
    },
    respond(quote, request) {
      const sold = buys(request, quote.price);
      // A sale is reported after a checkout delay (minutes, sometimes hours); a lost sale when
      // the session times out after 30 minutes.
      const d = uniform(seed, request.id, 'delay');
      const delayMs = sold
        ? Math.round(
            (d < 0.97 ? -Math.log(1 - d / 0.97) * 15 : 240 + 600 * ((d - 0.97) / 0.03)) * 60_000,
          )
        : 30 * 60_000 + Math.round(d * 5 * 60_000);
      return {
        type: 'outcome',
        id: quote.id,
        sold,
        revenue: sold ? quote.price : 0,
        time: quote.time + delayMs,
      };
    },
  };
}
