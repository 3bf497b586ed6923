import type { TopicPartition } from './record.js';

/**
 * State of the current record's key, scoped to one stage. Reads and writes are
 * synchronous (served from memory); the store makes them durable before the
 * runtime commits, so state and offsets move together.
 */
export interface KeyedState {
  get<T = unknown>(): T | undefined;
  set<T>(value: T): void;
  delete(): void;
}

/** Plain data of one partition's state: namespace → key → value. */
export type StateSnapshot = Record<string, Record<string, unknown>>;

/**
 * Backend of keyed state. State is kept per source partition so it moves with the
 * partition on a rebalance; a changelog-backed store restores it in `assign`.
 */
export interface StateStore {
  readonly name: string;
  /** Partitions now owned by this member: restore their state before records flow. */
  assign(partitions: readonly TopicPartition[]): Promise<void>;
  /** Partitions taken away: drop their state from memory after a final flush. */
  revoke(partitions: readonly TopicPartition[]): Promise<void>;
  get(tp: TopicPartition, namespace: string, key: string): unknown;
  set(tp: TopicPartition, namespace: string, key: string, value: unknown): void;
  delete(tp: TopicPartition, namespace: string, key: string): void;
  /** Keys of `namespace` with state on `tp`. Optional: without it the runtime reads `snapshot`. */
  keys?(tp: TopicPartition, namespace: string): Iterable<string>;
  /** Makes every change so far durable; the runtime awaits it before each commit. */
  flush(): Promise<void>;
  snapshot(tp: TopicPartition): StateSnapshot;
  restore(tp: TopicPartition, snapshot: StateSnapshot): void;
  close(): Promise<void>;
}
