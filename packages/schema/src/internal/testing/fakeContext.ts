import { type StageContext, silentLogger } from '@tributary/core';

/** Test-only: a StageContext whose `count` calls land in `counters`. */
export interface FakeContext extends StageContext {
  readonly counters: Record<string, number>;
  /** A context for the next record, sharing the counters, at `timestamp`. */
  at(timestamp: number): FakeContext;
}

/** Test-only: builds a {@link FakeContext}. */
export function fakeContext(
  counters: Record<string, number> = {},
  timestamp = 0,
  states: Map<string, unknown> = new Map(),
): FakeContext {
  return {
    topic: 't',
    partition: 0,
    offset: 0,
    key: 'k',
    timestamp,
    headers: {},
    state: {
      get: <T>() => states.get('k') as T | undefined,
      set: (v) => void states.set('k', v),
      delete: () => void states.delete('k'),
    },
    log: silentLogger,
    signal: new AbortController().signal,
    counters,
    count(metric, by = 1) {
      counters[metric] = (counters[metric] ?? 0) + by;
    },
    at: (ts) => fakeContext(counters, ts, states),
  };
}
