import type {
  Key,
  KeyedState,
  PartitionState,
  StageContext,
  StageEndContext,
} from '@tributary/core';
import { keyToString, silentLogger } from '@tributary/core';

/** A keyed-state harness for stage tests: contexts for (key, timestamp) over one in-memory store. */
export interface TestHarness {
  /** State by key (its keyToString form), one partition's worth. */
  readonly store: Map<string, unknown>;
  readonly counters: Record<string, number>;
  ctx(key: Key, timestamp: number): StageContext;
  /** The context of a stage's `end` for this harness's partition. */
  endCtx(reason?: 'end' | 'stop'): StageEndContext;
}

/** Creates a {@link TestHarness}; state is per key, as core's runtime scopes it. */
export function testHarness(): TestHarness {
  const store = new Map<string, unknown>();
  const counters: Record<string, number> = {};
  const controller = new AbortController();
  const stateOf = (key: Key): KeyedState => {
    const id = keyToString(key);
    return {
      get: <T>() => store.get(id) as T | undefined,
      set: (value) => void store.set(id, value),
      delete: () => void store.delete(id),
    };
  };
  const partitionState: PartitionState = { of: stateOf, keys: () => [...store.keys()] };
  const count = (metric: string, by = 1) => {
    counters[metric] = (counters[metric] ?? 0) + by;
  };
  return {
    store,
    counters,
    ctx(key, timestamp) {
      return {
        topic: 't',
        partition: 0,
        offset: 0,
        key,
        timestamp,
        headers: {},
        state: stateOf(key),
        partitionState,
        log: silentLogger,
        count,
        signal: controller.signal,
      };
    },
    endCtx(reason = 'end') {
      return {
        stage: 'test',
        topic: 't',
        partition: 0,
        reason,
        partitionState,
        log: silentLogger,
        count,
        signal: controller.signal,
      };
    },
  };
}
