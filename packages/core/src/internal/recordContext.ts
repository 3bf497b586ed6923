import type { Logger } from '../logger.js';
import { type Key, keyToString, type TopicPartition } from '../record.js';
import type { PartitionState, StageContext } from '../stage.js';
import type { KeyedState, StateStore } from '../state.js';
import type { Item } from './item.js';
import { KeySlot } from './keySlot.js';
import type { OutMeta, RunStep } from './runStep.js';

/** `partitionStateOn`'s state for one other topic, with what it was built for. */
interface OtherTopicState {
  readonly part: TopicPartition;
  readonly ns: string;
  readonly state: PartitionState;
}

/** The keys a stage holds state for on a partition (the store's fast path when it has one). */
const stateKeys = (store: StateStore, part: TopicPartition, ns: string): Iterable<string> =>
  store.keys?.(part, ns) ?? Object.keys(store.snapshot(part)[ns] ?? {});

/**
 * Where one record is in the pipeline: the record (`item`), the step running it and the
 * `emit()` meta its outputs carry; also the context its stages see. One per lane, re-pointed
 * at each record: a lane runs one record at a time, so the fields stay right across awaits.
 */
export class RecordContext implements StageContext {
  item!: Item;
  step!: RunStep;
  meta: OutMeta | undefined = undefined;
  readonly state: KeyedState;
  private across: PartitionState | undefined;
  private readonly on = new Map<string, OtherTopicState>();

  constructor(
    private readonly store: StateStore,
    readonly log: Logger,
    readonly signal: AbortSignal,
  ) {
    // The key's string form, worked out once per record and only if a stage uses state.
    let keyOf: Item | undefined;
    let keyString = '';
    const key = () => {
      if (keyOf !== this.item) {
        keyOf = this.item;
        keyString = keyToString(keyOf.rec.key);
      }
      return keyString;
    };
    this.state = {
      get: <T>() => store.get(this.item.part, this.step.name, key()) as T | undefined,
      set: <T>(value: T) => store.set(this.item.part, this.step.name, key(), value),
      delete: () => store.delete(this.item.part, this.step.name, key()),
    };
  }

  /** Points the context back at a record after an await (a retry wait, a promise). */
  at(item: Item, step: RunStep, meta: OutMeta | undefined): this {
    this.item = item;
    this.step = step;
    this.meta = meta;
    return this;
  }

  get topic() {
    return this.item.rec.topic;
  }
  get partition() {
    return this.item.rec.partition;
  }
  get offset() {
    return this.item.rec.offset;
  }
  get key() {
    return this.item.rec.key;
  }
  get timestamp() {
    return this.item.rec.timestamp;
  }
  get headers() {
    return this.item.rec.headers;
  }
  get partitionState(): PartitionState {
    if (this.across !== undefined) return this.across;
    const store = this.store;
    // Bound to the partition and stage of the moment: a slot kept past the record stays put.
    this.across = {
      of: (k: Key) => new KeySlot(store, this.item.part, this.step.name, keyToString(k)),
      keys: () => stateKeys(store, this.item.part, this.step.name),
    };
    return this.across;
  }
  partitionStateOn(topic: string): PartitionState {
    // The same partition number of another topic of a multi-topic source (co-partitioned
    // joins). Kept per topic while the lane stays on one partition and step, so a join
    // builds no partition state per record.
    const { partition } = this.item.part;
    const ns = this.step.name;
    const kept = this.on.get(topic);
    if (kept !== undefined && kept.part.partition === partition && kept.ns === ns)
      return kept.state;
    const part: TopicPartition = { topic, partition };
    const store = this.store;
    const state: PartitionState = {
      of: (k: Key) => new KeySlot(store, part, ns, keyToString(k)),
      keys: () => stateKeys(store, part, ns),
    };
    this.on.set(topic, { part, ns, state });
    return state;
  }
  count(metric: string, by = 1): void {
    const custom = this.step.metrics.custom;
    custom[metric] = (custom[metric] ?? 0) + by;
  }
}
