import type { Segment } from './events.js';

/** The prices the policy may quote: geometric steps of 20 % from 5 to about 77. */
export const priceGrid: readonly number[] = Array.from(
  { length: 16 },
  (_, i) => Math.round(5 * 1.2 ** i * 100) / 100,
);

/** Price bounds per segment (grid prices), a business rule the guardrails enforce. */
export const segmentBounds: Readonly<Record<Segment, readonly [number, number]>> = {
  budget: [priceGrid[0]!, priceGrid[10]!],
  regular: [priceGrid[3]!, priceGrid[13]!],
  premium: [priceGrid[7]!, priceGrid[15]!],
};

/** The grid prices within a segment's bounds, low to high: the arms of its bandit. */
export function segmentPrices(segment: Segment): readonly number[] {
  const [lo, hi] = segmentBounds[segment];
  return priceGrid.filter((p) => p >= lo && p <= hi);
}
