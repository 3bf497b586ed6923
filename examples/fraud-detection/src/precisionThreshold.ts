import { invalidOption } from '@tributary/core';

/** Options of {@link precisionThreshold}. */
export interface PrecisionThresholdOptions {
  /** Alert precision to aim for. Default 0.9. */
  readonly target?: number;
  /** Labelled scores remembered (the most recent). Default 20000. */
  readonly window?: number;
  /** Recompute after this many new labelled scores. Default 500. */
  readonly every?: number;
  /** True alerts the chosen threshold must have caught in the window. Default 10. */
  readonly minTruePositives?: number;
  /** Threshold until the history allows a choice. Default 0.99. */
  readonly initial?: number;
}

/** An alert threshold chosen online from recent labelled scores. */
export interface PrecisionThreshold {
  /** The threshold now: alert when score >= it. */
  current(): number;
  /** Adds one scored-and-labelled transaction to the history. */
  observe(score: number, label: boolean): void;
  /** How many times the threshold was recomputed. */
  readonly updates: number;
}

/**
 * Chooses the alert threshold for a target precision from the most recent `window` labelled
 * scores: every `every` labels it sorts them by score, highest first, and takes the lowest
 * score at which the alerts above it would have had at least `target` precision (the most
 * recall for that precision), provided they caught `minTruePositives` frauds. When no threshold
 * reaches the target, it rises to just above the window's top score. Labels come from the label
 * join (chargebacks, or no chargeback within the TTL), so the choice follows the model as it
 * learns and the fraud mix as it drifts.
 */
export function precisionThreshold(options: PrecisionThresholdOptions = {}): PrecisionThreshold {
  const target = options.target ?? 0.9;
  if (!(target > 0 && target <= 1)) throw invalidOption('target', 'a precision in (0, 1]', target);
  const size = options.window ?? 20_000;
  const every = options.every ?? 500;
  const minTp = options.minTruePositives ?? 10;
  for (const [name, v] of [
    ['window', size],
    ['every', every],
    ['minTruePositives', minTp],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw invalidOption(name, 'an integer >= 1', v);
  }
  let threshold = options.initial ?? 0.99;
  const scores = new Float64Array(size);
  const labels = new Uint8Array(size);
  let filled = 0;
  let next = 0;
  let since = 0;
  let updates = 0;
  const order: number[] = [];

  const recompute = () => {
    order.length = 0;
    for (let i = 0; i < filled; i++) order.push(i);
    order.sort((a, b) => (scores[b] as number) - (scores[a] as number));
    let tp = 0;
    let best: number | undefined;
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      tp += labels[i] as number;
      const s = scores[i] as number;
      // Decide only at the end of a group of equal scores: a threshold takes all of them.
      const nextScore = k + 1 < order.length ? scores[order[k + 1] as number] : Number.NaN;
      if (nextScore === s) continue;
      if (tp >= minTp && tp / (k + 1) >= target) best = s;
    }
    const top = filled > 0 ? (scores[order[0] as number] as number) : threshold;
    threshold = best ?? Math.min(1, top + 1e-9);
    updates++;
  };

  return {
    current: () => threshold,
    observe(score, label) {
      scores[next] = score;
      labels[next] = label ? 1 : 0;
      next = (next + 1) % size;
      filled = Math.min(size, filled + 1);
      if (++since >= every) {
        since = 0;
        recompute();
      }
    },
    get updates() {
      return updates;
    },
  };
}
