import type { ErrorPolicy } from '../errorPolicy.js';
import { invalidOption } from '../errors.js';
import type { SinkMetrics } from '../metrics.js';
import type { OutRecord } from '../record.js';
import { backoffDelay, isRetryable, type RetryOptions } from '../retry.js';
import type { Sink } from '../sink.js';
import { sleep } from '../sleep.js';
import type { Item } from './item.js';

/** What a binding needs from the runtime. */
export interface BindingHost {
  readonly batchSize: number;
  readonly lingerMs: number;
  readonly signal: AbortSignal;
  readonly random: () => number;
  /** One unit of each item's work is done (a batch was written). */
  releaseAll(items: readonly Item[], now: number): void;
  /** The batch failed for good: apply `policy` to each record. */
  writeFailed(binding: SinkBinding, items: readonly Item[], error: unknown, attempts: number): void;
  retried(step: string, attempt: number, delayMs: number, error: unknown): void;
}

/**
 * Buffers the outputs bound for one sink and writes them in order, one batch at a
 * time, retrying failed writes. Each buffered output holds a unit of its source
 * record's work, released once the batch holding it is written.
 */
export class SinkBinding {
  /** The code of a failure with none of its own. */
  readonly code = 'SINK_FAILED';
  readonly metrics: SinkMetrics = {
    written: 0,
    batches: 0,
    errors: 0,
    retries: 0,
    deadLettered: 0,
    skipped: 0,
    failed: 0,
    filtered: 0,
  };
  // The batch being filled, sized for a full batch so filling it never copies (n: fill level).
  private records: OutRecord[];
  private items: Item[];
  private n = 0;
  /** Full (or flushed) batches waiting for a write slot, oldest first. */
  private sealed: { records: OutRecord[]; items: Item[] }[] = [];
  /** Writes under way; at most the sink's `writeConcurrency`. */
  private writing = 0;
  private readonly maxWrites: number;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];

  constructor(
    readonly name: string,
    readonly sink: Sink<unknown>,
    readonly retry: RetryOptions,
    readonly policy: ErrorPolicy,
    private readonly host: BindingHost,
  ) {
    this.records = new Array(host.batchSize);
    this.items = new Array(host.batchSize);
    this.maxWrites = sink.writeConcurrency ?? 1;
    if (!Number.isInteger(this.maxWrites) || this.maxWrites < 1) {
      throw invalidOption(
        `${sink.name}.writeConcurrency`,
        'an integer >= 1',
        sink.writeConcurrency,
      );
    }
  }

  push(record: OutRecord, item: Item): void {
    item.pending++;
    const n = this.n++;
    this.records[n] = record;
    this.items[n] = item;
    if (n + 1 >= this.host.batchSize) {
      this.seal();
      this.pump();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.host.lingerMs);
    }
  }

  /** Writes whatever is buffered now and resolves when nothing is buffered or being written. */
  drain(): Promise<void> {
    if (this.buffered === 0 && this.writing === 0) return Promise.resolve();
    const settled = new Promise<void>((resolve) => this.idle.push(resolve));
    this.flush();
    return settled;
  }

  /** Records buffered and not yet handed to the sink. */
  get buffered(): number {
    let n = this.n;
    for (const batch of this.sealed) n += batch.records.length;
    return n;
  }

  /** The linger passed (or someone is waiting): send the partial batch too. */
  private flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.n > 0) this.seal();
    this.pump();
  }

  private seal(): void {
    const records = this.records;
    const items = this.items;
    if (this.n < records.length) {
      records.length = this.n;
      items.length = this.n;
    }
    this.sealed.push({ records, items });
    this.records = new Array(this.host.batchSize);
    this.items = new Array(this.host.batchSize);
    this.n = 0;
  }

  /** Starts sealed batches, in order, while write slots are free; settles drain() when all is written. */
  private pump(): void {
    while (this.writing < this.maxWrites && this.sealed.length > 0) {
      const { records, items } = this.sealed.shift() as { records: OutRecord[]; items: Item[] };
      this.writing++;
      void this.write(records, items, 1).then(() => {
        this.writing--;
        // Anyone waiting gets the partial batch sent at once; otherwise it waits for the linger.
        if (this.idle.length > 0) this.flush();
        else this.pump();
      });
    }
    if (this.writing === 0 && this.sealed.length === 0 && this.n === 0 && this.idle.length > 0) {
      const idle = this.idle;
      this.idle = [];
      for (const resolve of idle) resolve();
    }
  }

  private async write(records: OutRecord[], items: Item[], attempt: number): Promise<void> {
    try {
      await this.sink.write(records);
    } catch (error) {
      this.metrics.errors++;
      const retryable = (this.retry.retryable ?? isRetryable)(error);
      if (attempt <= this.retry.retries && retryable && !this.host.signal.aborted) {
        const delay = backoffDelay(this.retry, attempt, this.host.random);
        this.metrics.retries++;
        this.host.retried(this.name, attempt, delay, error);
        try {
          await sleep(delay, this.host.signal);
        } catch {
          // Stopping: give up on the batch; its records stay uncommitted.
          return;
        }
        return this.write(records, items, attempt + 1);
      }
      if (records.length > 1 && this.policy.kind !== 'fail' && !this.host.signal.aborted) {
        return this.writeOneByOne(records, items, attempt + 1);
      }
      this.host.writeFailed(this, items, error, attempt);
      return;
    }
    this.metrics.written += records.length;
    this.metrics.batches++;
    const now = performance.now();
    this.host.releaseAll(items, now);
  }

  /**
   * A batch failed for good: write its records one at a time, so only the ones that fail on
   * their own (e.g. one oversized record) meet the error policy, not their batch-mates.
   */
  private async writeOneByOne(
    records: OutRecord[],
    items: Item[],
    attempts: number,
  ): Promise<void> {
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as OutRecord;
      const item = items[i] as Item;
      try {
        await this.sink.write([record]);
      } catch (error) {
        this.metrics.errors++;
        this.host.writeFailed(this, [item], error, attempts);
        continue;
      }
      this.metrics.written++;
      this.host.releaseAll([item], performance.now());
    }
    this.metrics.batches++;
  }
}
