import type { RowLayout } from '../rowTransform.js';
import type { TransformParts } from './assembleTransform.js';
import { defineRow } from './defineRow.js';
import { snapshotError } from './guards.js';

function checkNull(kind: string, state: unknown): void {
  if (state !== null) throw snapshotError(kind, 'state must be null (stateless)', state);
}

/**
 * The implementation of a transform with nothing to learn: its snapshot state is `null`.
 * `row` builds the in-place row form for a layout.
 */
export function stateless<I, O>(
  kind: string,
  transform: (x: I) => O,
  row: (layout: RowLayout) => (row: Float64Array, value: object) => void,
): TransformParts<I, O> {
  return {
    // Nothing to learn, but the same checks: a value `transform` rejects is rejected by `learn`.
    learn(x) {
      transform(x);
    },
    transform,
    learnTransform: transform,
    reset() {},
    getState: () => null,
    setState: (state) => checkNull(kind, state),
    bindRow(layout) {
      const apply = row(layout);
      return defineRow(kind, {
        // Nothing to learn; not `apply`: `learn` must leave the row as it is, since `transform`
        // follows it on the same row (a logarithm applied twice otherwise).
        learn() {},
        transform: apply,
        reset() {},
        getState: () => null,
        setState: (state) => checkNull(kind, state),
      });
    },
  };
}
