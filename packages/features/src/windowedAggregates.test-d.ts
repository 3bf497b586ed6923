import type { StageObject } from '@tributary/core';
import { describe, expectTypeOf, it } from 'vitest';
import { count, mean } from './aggregates.js';
import { type SlidingFeatures, windowedAggregates } from './windowedAggregates.js';
import { sliding, tumbling } from './windows.js';

interface Tx {
  readonly amount: number;
}

describe('windowedAggregates windows option (types)', () => {
  it('types each named window of the output', () => {
    const stage = windowedAggregates({
      windows: { '1m': sliding(60_000), '1h': sliding(3_600_000) },
      aggregates: { n: count(), avg: mean((t: Tx) => t.amount) },
    });
    expectTypeOf(stage).toEqualTypeOf<
      StageObject<
        Tx,
        SlidingFeatures<Tx, '1m' | '1h', { readonly n: number; readonly avg: number | null }>
      >
    >();
    type Out = SlidingFeatures<Tx, '1m' | '1h', { n: number }>;
    expectTypeOf<Out['aggregates']['1h']['n']>().toEqualTypeOf<number>();
    // @ts-expect-error: not a window of the stage
    ({}) as Out['aggregates']['24h'];
  });

  it('takes sliding windows only, and not with output "windows"', () => {
    // @ts-expect-error: a tumbling window is no sliding window
    windowedAggregates({ windows: { a: tumbling(1000) }, aggregates: { n: count() } });
    windowedAggregates({
      // @ts-expect-error: several sliding windows only enrich records (output 'windows' fails)
      windows: { a: sliding(1000) },
      aggregates: { n: count() },
      output: 'windows',
    });
  });
});
