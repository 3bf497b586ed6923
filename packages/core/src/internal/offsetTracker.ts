/**
 * Tracks records of one partition from delivery to done, and answers the highest
 * position that is safe to commit: just past the longest prefix of done records.
 * Records finish in any order (per-key lanes, sink batches); offsets may have gaps.
 *
 * A ring buffer indexed by sequence number: no allocation per record, and memory bounded
 * by the records in flight (it doubles when more are pending than it holds).
 */
export class OffsetTracker {
  private offsets = new Float64Array(1024);
  private done = new Uint8Array(1024);
  private mask = 1023;
  private head = 0; // sequence number of the first record not known done
  private tail = 0; // sequence number the next record gets
  private position: number;

  /** `position` is where reading starts; unknown (NaN) until the first record shows it. */
  constructor(position = Number.NaN) {
    this.position = position;
  }

  /** Registers a delivered record; returns its sequence number for `complete`. */
  add(offset: number): number {
    if (this.head === this.tail && Number.isNaN(this.position)) this.position = offset;
    if (this.tail - this.head > this.mask) this.grow();
    const seq = this.tail++;
    this.offsets[seq & this.mask] = offset;
    return seq;
  }

  /** Marks the record with sequence number `seq` as done. */
  complete(seq: number): void {
    if (seq < this.head || seq >= this.tail) return; // already done (or unknown)
    this.done[seq & this.mask] = 1;
    if (seq !== this.head) return;
    const { done, offsets, mask } = this;
    let head = this.head;
    while (head < this.tail && done[head & mask] === 1) {
      done[head & mask] = 0; // the slot is reused by a later sequence number
      head++;
    }
    this.position = (offsets[(head - 1) & mask] as number) + 1;
    this.head = head;
  }

  /** Next offset to read after the done prefix: the value to commit. */
  committable(): number {
    return this.position;
  }

  /** Records delivered and not yet done. */
  pending(): number {
    return this.tail - this.head;
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const offsets = new Float64Array(size);
    const done = new Uint8Array(size);
    for (let seq = this.head; seq < this.tail; seq++) {
      offsets[seq & (size - 1)] = this.offsets[seq & this.mask] as number;
      done[seq & (size - 1)] = this.done[seq & this.mask] as number;
    }
    this.offsets = offsets;
    this.done = done;
    this.mask = size - 1;
  }
}
