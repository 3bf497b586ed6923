import type { Key, KeyedState, StageContext } from '@tributary/core';
import { keyToString, silentLogger } from '@tributary/core';

/** A keyed-state harness for stage tests: contexts for (key, timestamp) over one in-memory store. */
export interface TestHarness {
  readonly store: Map<string, unknown>;
  readonly counters: Record<string, number>;
  ctx(key: Key, timestamp: number): StageContext;
}

/** Creates a {@link TestHarness}; state is per key, as core's runtime scopes it. */
export function testHarness(): TestHarness {
  const store = new Map<string, unknown>();
  const counters: Record<string, number> = {};
  const controller = new AbortController();
  return {
    store,
    counters,
    ctx(key, timestamp) {
      const id = keyToString(key);
      const state: KeyedState = {
        get: <T>() => store.get(id) as T | undefined,
        set: (value) => void store.set(id, value),
        delete: () => void store.delete(id),
      };
      return {
        topic: 't',
        partition: 0,
        offset: 0,
        key,
        timestamp,
        headers: {},
        state,
        log: silentLogger,
        count(metric, by = 1) {
          counters[metric] = (counters[metric] ?? 0) + by;
        },
        signal: controller.signal,
      };
    },
  };
}
