import type { OutRecord, Sink } from '@tributary/core';
import type { Outcome } from './events.js';

/** A sink that holds outcomes until the simulated clock reaches their event time. */
export interface DelayLine extends Sink<Outcome> {
  /** Removes and returns the held outcomes with event time before `time`, in time order. */
  release(time: number): Outcome[];
  readonly size: number;
  /** Outcomes written so far. */
  readonly received: number;
}

/**
 * The market's delay: outcomes are known when the quote is answered but only reach the
 * `outcomes` topic once the simulation's clock passes their time, so the policy keeps quoting
 * while they are on the way.
 */
export function delayLine(): DelayLine {
  let held: Outcome[] = [];
  let received = 0;
  return {
    name: 'delay-line',
    async write(records: readonly OutRecord<Outcome>[]) {
      for (const r of records) held.push(r.value);
      received += records.length;
    },
    release(time) {
      const due = held.filter((o) => o.time < time);
      held = held.filter((o) => o.time >= time);
      // Ties broken by id, so the order never depends on how partitions interleaved.
      return due.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    get size() {
      return held.length;
    },
    get received() {
      return received;
    },
  };
}
