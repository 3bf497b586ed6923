import type { TopicPartition } from './record.js';

/**
 * State of the current record's key, scoped to one stage. Reads and writes are
 * synchronous (served from memory); the store makes them durable before the
 * runtime commits, so state and offsets move together.
 */
export interface KeyedState {
  /** The key's value, or `undefined` when it has none. */
  get<T = unknown>(): T | undefined;
  /** Replaces the key's value. */
  set<T>(value: T): void;
  /** Removes the key's value. */
  delete(): void;
}

/** Plain data of one partition's state: namespace → key → value. */
export type StateSnapshot = Record<string, Record<string, unknown>>;

/**
 * Backend of keyed state. State is kept per source partition so it moves with the
 * partition on a rebalance; a changelog-backed store restores it in `assign`.
 */
export interface StateStore {
  /** Which backend this is, e.g. `memory` or `kafka:<changelog topic>`. */
  readonly name: string;
  /** Partitions now owned by this member: restore their state before records flow. */
  assign(partitions: readonly TopicPartition[]): Promise<void>;
  /** Partitions taken away: drop their state from memory after a final flush. */
  revoke(partitions: readonly TopicPartition[]): Promise<void>;
  /** The value of `key` in `namespace` (a stage) on partition `tp`. */
  get(tp: TopicPartition, namespace: string, key: string): unknown;
  /** Sets the value of `key`; durable after the next `flush`. */
  set(tp: TopicPartition, namespace: string, key: string, value: unknown): void;
  /** Removes the value of `key`; durable after the next `flush`. */
  delete(tp: TopicPartition, namespace: string, key: string): void;
  /** Keys of `namespace` with state on `tp`. Optional: without it the runtime reads `snapshot`. */
  keys?(tp: TopicPartition, namespace: string): Iterable<string>;
  /** Makes every change so far durable; the runtime awaits it before each commit. */
  flush(): Promise<void>;
  /** Every namespace's state on `tp`, as plain data. */
  snapshot(tp: TopicPartition): StateSnapshot;
  /** Replaces the state of `tp` with a snapshot. */
  restore(tp: TopicPartition, snapshot: StateSnapshot): void;
  /** Releases the store's resources; called once when the run ends. */
  close(): Promise<void>;
}
