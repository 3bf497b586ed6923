import type { Logger } from '../logger.js';
import { type Key, keyToString } from '../record.js';
import type { PartitionState, StageContext } from '../stage.js';
import type { KeyedState, StateStore } from '../state.js';
import type { Item } from './item.js';
import { KeySlot } from './keySlot.js';
import type { OutMeta, RunStep } from './runStep.js';

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
      keys: () => {
        const { part } = this.item;
        const ns = this.step.name;
        return store.keys?.(part, ns) ?? Object.keys(store.snapshot(part)[ns] ?? {});
      },
    };
    return this.across;
  }
  partitionStateOn(topic: string): PartitionState {
    // The same partition number of another topic of a multi-topic source (co-partitioned joins).
    const part = { topic, partition: this.item.part.partition };
    const { store } = this;
    const ns = this.step.name;
    return {
      of: (k: Key) => new KeySlot(store, part, ns, keyToString(k)),
      keys: () => store.keys?.(part, ns) ?? Object.keys(store.snapshot(part)[ns] ?? {}),
    };
  }
  count(metric: string, by = 1): void {
    const custom = this.step.metrics.custom;
    custom[metric] = (custom[metric] ?? 0) + by;
  }
}
