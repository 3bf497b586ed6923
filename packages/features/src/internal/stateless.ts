import type { TransformImpl } from './defineTransform.js';
import { snapshotError } from './guards.js';

/** The implementation of a transform with nothing to learn: its snapshot state is `null`. */
export function stateless<I, O>(kind: string, transform: (x: I) => O): TransformImpl<I, O> {
  return {
    learn() {},
    transform,
    reset() {},
    getState: () => null,
    setState(state) {
      if (state !== null) throw snapshotError(kind, 'state must be null (stateless)', state);
    },
  };
}
