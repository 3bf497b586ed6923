import type { MergeableTransform } from '../mergeableTransform.js';
import type { Transform } from '../transform.js';
import type { TransformSnapshot } from '../transformSnapshot.js';

/**
 * Adds `merge` to a transform whose state is `{ field: entry }`: each peer snapshot is read by a
 * fresh copy of it (`fresh()`, so `restore` validates it), and the entries are `combine`d field
 * by field into this transform's (`own` undefined for a field it has not seen).
 */
export function withEntryMerge<I, O, E>(
  t: Transform<I, O>,
  fresh: () => Transform<I, O>,
  combine: (own: E | undefined, peer: E) => E,
): MergeableTransform<I, O> {
  const merge = (peers: readonly TransformSnapshot[]): void => {
    const all = new Map(Object.entries(t.snapshot().state as Record<string, E>));
    for (const p of peers) {
      const peer = fresh();
      peer.restore(p);
      for (const [f, e] of Object.entries(peer.snapshot().state as Record<string, E>)) {
        all.set(f, combine(all.get(f), e));
      }
    }
    t.restore({ kind: t.kind, version: 1, state: Object.fromEntries(all) });
  };
  return Object.assign(t, { merge });
}
