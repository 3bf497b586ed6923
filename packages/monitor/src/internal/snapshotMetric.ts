import type { Metric as PromMetric } from 'prom-client';

/** One exposed sample: a (suffixed) name, labels and a value. */
export interface Sample {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  /** Full sample name when it differs from the family (histogram `_bucket`, `_sum`, `_count`). */
  readonly metricName?: string;
}

/**
 * A prom-client metric family whose samples are computed at scrape time from plain data (a
 * runtime `MetricsSnapshot`): counters and histograms keep their absolute values instead of
 * being re-incremented. prom-client's registry only calls `get()` (and `reset()`).
 */
export function snapshotMetric(
  name: string,
  help: string,
  type: 'counter' | 'gauge' | 'histogram',
  samples: () => Sample[],
): PromMetric {
  const family = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: samples() }),
    reset() {},
  };
  // prom-client types only its own classes; the registry needs just the shape above.
  return family as unknown as PromMetric;
}
