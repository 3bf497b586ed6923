import { mulberry32 } from '@tributary/core';

/** A card payment, as the quickstart's producer writes it. */
export interface Payment {
  readonly card: string;
  readonly amount: number;
  readonly merchant: string;
}

/**
 * `n` payments from 200 cards as JSON text. Each card has its own typical amount;
 * about 1 in 200 payments is a burst 8x larger, and 1 in 500 is malformed JSON.
 */
export function paymentStream(n: number, seed = 42): { key: string; value: string }[] {
  const random = mulberry32(seed);
  const typical = Array.from({ length: 200 }, () => 10 + random() * 90);
  return Array.from({ length: n }, (_, i) => {
    const c = Math.floor(random() * typical.length);
    const card = `card-${c}`;
    if (i % 500 === 499) return { key: card, value: '{"card":' };
    const burst = random() < 0.005 ? 8 : 1;
    const amount = Math.round((typical[c] as number) * burst * (0.5 + random()) * 100) / 100;
    return { key: card, value: JSON.stringify({ card, amount, merchant: `m-${i % 37}` }) };
  });
}
