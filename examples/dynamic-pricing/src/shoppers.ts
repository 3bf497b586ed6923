import type { StageObject } from '@tributary/core';
import type { Outcome, PriceRequest, Quote } from './events.js';
import type { Market } from './market.js';

/** One quote as the market saw it: for the report. */
export interface Sale {
  readonly request: PriceRequest;
  readonly price: number;
  readonly sold: boolean;
}

/** The market's side of a quote, with the log of every quote answered. */
export interface Shoppers extends StageObject<Quote, Outcome> {
  readonly log: Sale[];
}

/** The simulated shoppers: each quote gets the outcome the market's demand curve draws. */
export function shoppers(market: Market): Shoppers {
  const log: Sale[] = [];
  return {
    name: 'shoppers',
    log,
    process(q) {
      const request: PriceRequest = {
        type: 'request',
        id: q.id,
        segment: q.segment,
        channel: q.channel,
        time: q.time,
      };
      const outcome = market.respond(q, request);
      log.push({ request, price: q.price, sold: outcome.sold });
      return outcome;
    },
  };
}
