import type { PriceRequest } from './events.js';
import type { Market } from './market.js';
import { segmentPrices } from './priceGrid.js';

/** Expected revenue of quoting `price` to `request`: price × probability of a sale. */
export function expectedRevenue(market: Market, request: PriceRequest, price: number): number {
  return price * market.buyProbability(request, price);
}

/**
 * The price an oracle that knows the true demand curves quotes: the grid price within the
 * segment's bounds with the highest expected revenue (ties to the lower price).
 */
export function oraclePrice(market: Market, request: PriceRequest): number {
  let best = Number.NaN;
  let bestRevenue = Number.NEGATIVE_INFINITY;
  for (const p of segmentPrices(request.segment)) {
    const r = expectedRevenue(market, request, p);
    if (r > bestRevenue) {
      bestRevenue = r;
      best = p;
    }
  }
  return best;
}
