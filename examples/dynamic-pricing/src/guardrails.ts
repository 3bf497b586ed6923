import { invalidOption } from '@tributary/core';
import type { Channel, Segment } from './events.js';
import { priceGrid, segmentBounds } from './priceGrid.js';

/** Options of {@link guardrails}. */
export interface GuardrailOptions {
  /** Largest move per period, as a fraction of the previous period's mean quote. Default 0.3. */
  readonly maxChange?: number;
  /** Length of a period, ms. Default one hour. */
  readonly periodMs?: number;
  /** Allowed prices, low to high. Default {@link priceGrid}. */
  readonly grid?: readonly number[];
  /** Price bounds per segment. Default {@link segmentBounds}. */
  readonly bounds?: Readonly<Record<Segment, readonly [number, number]>>;
}

/** The band a price line may quote in during a period. */
export interface PriceBand {
  readonly lo: number;
  readonly hi: number;
}

/** Pricing guardrails, applied after the bandit. */
export interface Guardrails {
  /** The grid price nearest `price` that the segment's bounds and the change limit allow. */
  apply(segment: Segment, channel: Channel, time: number, price: number): number;
  /** The band of a segment × channel price line for the period of `time`. */
  band(segment: Segment, channel: Channel, time: number): PriceBand;
}

interface Line {
  period: number;
  /** Mean quote of the previous period with quotes (the anchor of this one); NaN before any. */
  anchor: number;
  sum: number;
  count: number;
}

/**
 * Guardrails a pricing system keeps whatever its model says: each segment's price bounds, and
 * per segment × channel line a maximum change per period relative to the previous period's
 * mean quote. Quotes stay on the grid; the change limit must leave a grid price in every band.
 */
export function guardrails(options: GuardrailOptions = {}): Guardrails {
  const maxChange = options.maxChange ?? 0.3;
  const periodMs = options.periodMs ?? 3_600_000;
  const grid = options.grid ?? priceGrid;
  const bounds = options.bounds ?? segmentBounds;
  if (!(maxChange > 0)) throw invalidOption('maxChange', 'a number > 0', maxChange);
  if (!(periodMs > 0)) throw invalidOption('periodMs', 'a number > 0', periodMs);
  for (let i = 1; i < grid.length; i++) {
    // A band [a/(1+m), a·(1+m)] spans a ratio of (1+m)²: it must hold a whole grid step.
    if (!(grid[i]! > grid[i - 1]!)) throw invalidOption('grid', 'increasing prices', grid);
    if ((1 + maxChange) ** 2 < grid[i]! / grid[i - 1]!) {
      throw invalidOption(
        'maxChange',
        `at least ${Math.sqrt(grid[i]! / grid[i - 1]!) - 1} for this grid`,
        maxChange,
      );
    }
  }
  for (const [segment, [lo, hi]] of Object.entries(bounds)) {
    if (!grid.includes(lo) || !grid.includes(hi) || lo > hi) {
      throw invalidOption(`bounds.${segment}`, 'two grid prices, low then high', [lo, hi]);
    }
  }
  const lines = new Map<string, Line>();

  const line = (segment: Segment, channel: Channel, time: number): Line => {
    const key = `${segment}/${channel}`;
    const period = Math.floor(time / periodMs);
    let l = lines.get(key);
    if (l === undefined) {
      l = { period, anchor: Number.NaN, sum: 0, count: 0 };
      lines.set(key, l);
    } else if (period > l.period) {
      // Only a later period rolls the line over: a late request counts in the current one.
      if (l.count > 0) l.anchor = l.sum / l.count;
      l.period = period;
      l.sum = 0;
      l.count = 0;
    }
    return l;
  };

  const bandOf = (segment: Segment, l: Line): PriceBand => {
    const [lo, hi] = bounds[segment];
    if (Number.isNaN(l.anchor)) return { lo, hi };
    return {
      lo: Math.max(lo, l.anchor / (1 + maxChange)),
      hi: Math.min(hi, l.anchor * (1 + maxChange)),
    };
  };

  return {
    band: (segment, channel, time) => bandOf(segment, line(segment, channel, time)),
    apply(segment, channel, time, price) {
      const l = line(segment, channel, time);
      const { lo, hi } = bandOf(segment, l);
      let best = Number.NaN;
      for (const p of grid) {
        if (p < lo || p > hi) continue;
        if (Number.isNaN(best) || Math.abs(Math.log(p / price)) < Math.abs(Math.log(best / price)))
          best = p;
      }
      l.sum += best;
      l.count += 1;
      return best;
    },
  };
}
