import type { RowLayout } from '../rowTransform.js';

/** The layout `vectorize` builds: input columns are decoded, appended ones written by steps. */
export class Layout implements RowLayout {
  readonly names: string[] = [];
  readonly inputs: string[] = [];
  /** Slot of each input column, parallel to `inputs`. */
  readonly inputSlots: number[] = [];
  private readonly slots = new Map<string, number>();

  input(name: string): number {
    const known = this.slots.get(name);
    if (known !== undefined) return known;
    const slot = this.names.length;
    this.names.push(name);
    this.inputs.push(name);
    this.inputSlots.push(slot);
    this.slots.set(name, slot);
    return slot;
  }

  append(names: readonly string[]): number {
    const first = this.names.length;
    for (const n of names) this.names.push(n);
    return first;
  }

  rename(slot: number, name: string): void {
    this.names[slot] = name;
  }
}
