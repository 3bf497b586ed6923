import type { TopicPartition } from '../record.js';
import type { KeyedState, StateStore } from '../state.js';

/** One key's state in one stage and partition (a class: no closures per `partitionState.of`). */
export class KeySlot implements KeyedState {
  constructor(
    private readonly store: StateStore,
    private readonly part: TopicPartition,
    private readonly ns: string,
    private readonly id: string,
  ) {}
  get<T>(): T | undefined {
    return this.store.get(this.part, this.ns, this.id) as T | undefined;
  }
  set<T>(value: T): void {
    this.store.set(this.part, this.ns, this.id, value);
  }
  delete(): void {
    this.store.delete(this.part, this.ns, this.id);
  }
}
