import { TributaryError } from '@tributary/core';
import type { DetectorSnapshot, DriftDetector } from './driftDetector.js';

/** What a detector implements; `defineDetector` adds River's reset-after-drift and snapshots. */
export interface DetectorImpl<S> {
  /** Detector name, in snapshots and drift events. */
  readonly name: string;
  /** The state before any value (and after a drift). */
  init(): S;
  /** Updates `state` with `x`; returns whether it signals drift and/or a warning. */
  update(
    state: S,
    x: number,
  ): {
    /** A change was detected: the detector starts over. */
    drift: boolean;
    /** A change may be starting. */
    warning: boolean;
  };
  /** Updates since `init`. */
  count(state: S): number;
  /** True when `state` has the shape of this detector's state. */
  isState(state: unknown): state is S;
  /** The same detector with fresh state. */
  clone(): DriftDetector;
}

interface Envelope<S> {
  s: S;
  drift: boolean;
  warning: boolean;
}

/**
 * Builds a {@link DriftDetector} around `impl`: input checks, the reset after a drift (as in
 * River), snapshot and restore, so a detector only says how its plain-data state moves.
 */
export function defineDetector<S>(impl: DetectorImpl<S>): DriftDetector {
  return defineDetectorWithState(impl).detector;
}

/** As {@link defineDetector}, plus read access to the live state (for extra getters). */
export function defineDetectorWithState<S>(impl: DetectorImpl<S>): {
  detector: DriftDetector;
  state: () => S;
} {
  let e: Envelope<S> = { s: impl.init(), drift: false, warning: false };
  const detector: DriftDetector = {
    name: impl.name,
    update(x) {
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new TributaryError(
          'MONITOR_BAD_VALUE',
          `${impl.name}: update needs a finite number`,
          {
            details: { detector: impl.name, value: String(x) },
          },
        );
      }
      if (e.drift) e = { s: impl.init(), drift: false, warning: false };
      const r = impl.update(e.s, x);
      e.drift = r.drift;
      e.warning = r.warning;
    },
    get driftDetected() {
      return e.drift;
    },
    get warningDetected() {
      return e.warning;
    },
    get n() {
      return impl.count(e.s);
    },
    reset() {
      e = { s: impl.init(), drift: false, warning: false };
    },
    snapshot: (): DetectorSnapshot => ({ detector: impl.name, state: structuredClone(e) }),
    restore(snapshot) {
      const s = snapshot as Partial<DetectorSnapshot> | null;
      const env = s?.state as Partial<Envelope<S>> | undefined;
      if (
        s?.detector !== impl.name ||
        typeof env?.drift !== 'boolean' ||
        typeof env.warning !== 'boolean' ||
        !impl.isState(env.s)
      ) {
        throw new TributaryError(
          'MONITOR_SNAPSHOT_INVALID',
          `${impl.name}.restore(): not a snapshot of this detector`,
          { details: { detector: impl.name } },
        );
      }
      e = structuredClone(env as Envelope<S>);
    },
    clone: () => impl.clone(),
  };
  return { detector, state: () => e.s };
}
