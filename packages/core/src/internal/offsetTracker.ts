/**
 * Tracks records of one partition from delivery to done, and answers the highest
 * position that is safe to commit: just past the longest prefix of done records.
 * Records finish in any order (per-key lanes, sink batches); offsets may have gaps.
 */
export class OffsetTracker {
  private offsets: number[] = [];
  private done: Uint8Array = new Uint8Array(64);
  private head = 0; // index of the first record not known done
  private base = 0; // sequence number of offsets[0]
  private position: number;

  /** `position` is where reading starts; unknown (NaN) until the first record shows it. */
  constructor(position = Number.NaN) {
    this.position = position;
  }

  /** Registers a delivered record; returns its sequence number for `complete`. */
  add(offset: number): number {
    const i = this.offsets.length;
    if (i === this.head && Number.isNaN(this.position)) this.position = offset;
    this.offsets.push(offset);
    if (i >= this.done.length) {
      const grown = new Uint8Array(this.done.length * 2);
      grown.set(this.done);
      this.done = grown;
    }
    return this.base + i;
  }

  /** Marks the record with sequence number `seq` as done. */
  complete(seq: number): void {
    const i = seq - this.base;
    if (i < 0) return; // compacted away: already done
    this.done[i] = 1;
    if (i === this.head) this.advance();
  }

  /** Next offset to read after the done prefix: the value to commit. */
  committable(): number {
    return this.position;
  }

  /** Records delivered and not yet done. */
  pending(): number {
    return this.offsets.length - this.head;
  }

  private advance(): void {
    const n = this.offsets.length;
    while (this.head < n && this.done[this.head] === 1) this.head++;
    if (this.head > 0) this.position = (this.offsets[this.head - 1] as number) + 1;
    // Drop the done prefix now and then so memory stays bounded by the in-flight window.
    if (this.head >= 1024 && this.head * 2 >= n) {
      const rest = new Uint8Array(Math.max(64, this.done.length));
      rest.set(this.done.subarray(this.head, n));
      this.offsets = this.offsets.slice(this.head);
      this.done = rest;
      this.base += this.head;
      this.head = 0;
    }
  }
}
