import { emit, many, type StageObject } from '@tributary/core';
import {
  type InputDriftEvent,
  type ProfileDriftOptions,
  type ProfileOptions,
  profile,
} from './profile.js';

/** Options of {@link inputDriftMonitor}: a profile with its drift check. */
export interface InputDriftMonitorOptions extends Omit<ProfileOptions, 'drift'> {
  /** The drift check against the reference profile (the events are the stage's output). */
  readonly drift: Omit<ProfileDriftOptions, 'onDrift'>;
}

/**
 * A stage that profiles the records it sees and outputs only {@link InputDriftEvent}s, keyed by
 * field, so drift alarms can go to a topic or an alerting sink. Run it in its own consumer
 * group (a monitoring pipeline beside the main one): it consumes the records it profiles
 * and passes none of them on.
 */
export function inputDriftMonitor<T = unknown>(
  options: InputDriftMonitorOptions,
): StageObject<T, InputDriftEvent> & {
  /** The profile of the current window, as JSON-safe data. */
  report: ReturnType<typeof profile>['report'];
} {
  const pending: InputDriftEvent[] = [];
  const inner = profile<T>({
    ...options,
    name: options.name ?? 'inputDriftMonitor',
    drift: { ...options.drift, onDrift: (e) => pending.push(e) },
  });
  return {
    name: inner.name,
    report: inner.report,
    process(value, ctx) {
      inner.process(value, ctx);
      if (pending.length === 0) return undefined;
      return many(pending.splice(0).map((e) => emit(e, { key: e.field })));
    },
    snapshot: () => inner.snapshot?.(),
    restore: (s) => inner.restore?.(s),
  };
}
