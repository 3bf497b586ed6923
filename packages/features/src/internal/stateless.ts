import type { TransformImpl } from './defineTransform.js';
import { snapshotError } from './guards.js';

/** The implementation of a transform with nothing to learn: its snapshot state is `null`. */
export function stateless<I, O>(kind: string, transform: (x: I) => O): TransformImpl<I, O> {
  return {
    // Nothing to learn, but the same checks: a value `transform` rejects is rejected by `learn`.
    learn(x) {
      transform(x);
    },
    transform,
    learnTransform: transform,
    reset() {},
    getState: () => null,
    setState(state) {
      if (state !== null) throw snapshotError(kind, 'state must be null (stateless)', state);
    },
  };
}
