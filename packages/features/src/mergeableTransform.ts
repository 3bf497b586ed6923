import type { Transform } from './transform.js';
import type { TransformSnapshot } from './transformSnapshot.js';

/**
 * A transform whose statistics combine with copies of it that saw other records (workers of
 * one consumer group): `merge` replaces its state with the union's. Exact for the scalers
 * (Chan's parallel Welford merge; min of minima, max of maxima). See docs/scaling-out.md.
 */
export interface MergeableTransform<I, O> extends Transform<I, O> {
  /** Merges peers' snapshots (same kind and options) into this transform's statistics. */
  merge(peers: readonly TransformSnapshot[]): void;
}
