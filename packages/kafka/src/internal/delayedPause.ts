import type { TopicPartition } from '@tributary/core';
import type { AdapterConsumer } from './adapter.js';
import { plainPartitions, tpKey } from './partitions.js';

/** How long the runtime's pause must last before the client stops fetching. */
export const PAUSE_DELAY_MS = 250;

/**
 * The runtime's pause and resume, applied to the client only when a pause lasts. deliver()
 * already blocks each partition's handler while the runtime is full, so short blips need
 * nothing more; a pause still in force after `delayMs` stops fetching. (Pausing the
 * Confluent client drops its prefetched records, which are then fetched again: costly when
 * backpressure flickers.)
 */
export class DelayedPause {
  private readonly pausing = new Map<string, NodeJS.Timeout>();
  private readonly pausedAtClient = new Set<string>();

  /** `active(key)`: the partition is still owned and the session open when the delay ends. */
  constructor(
    private readonly consumer: AdapterConsumer,
    private readonly active: (key: string) => boolean,
    private readonly delayMs = PAUSE_DELAY_MS,
  ) {}

  pause(tps: readonly TopicPartition[]): void {
    for (const tp of plainPartitions(tps)) {
      const key = tpKey(tp);
      if (this.pausedAtClient.has(key) || this.pausing.has(key)) continue;
      const timer = setTimeout(() => {
        this.pausing.delete(key);
        if (!this.active(key)) return; // revoked or closed meanwhile
        this.pausedAtClient.add(key);
        this.consumer.pause([tp]);
      }, this.delayMs);
      timer.unref();
      this.pausing.set(key, timer);
    }
  }

  /** Resumes the partitions paused at the client, except those `stayPaused` keeps (read to their end). */
  resume(tps: readonly TopicPartition[], stayPaused: (key: string) => boolean): void {
    const resumed: TopicPartition[] = [];
    for (const tp of plainPartitions(tps)) {
      const key = tpKey(tp);
      clearTimeout(this.pausing.get(key));
      this.pausing.delete(key);
      if (this.pausedAtClient.delete(key) && !stayPaused(key)) resumed.push(tp);
    }
    this.consumer.resume(resumed);
  }

  /** Cancels pauses not applied yet. */
  close(): void {
    for (const timer of this.pausing.values()) clearTimeout(timer);
  }
}
