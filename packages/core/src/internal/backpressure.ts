import type { RuntimeEvent } from '../metrics.js';
import type { SourceSession } from '../source.js';
import type { Partitions } from './partitions.js';

const RESOLVED = Promise.resolve();

/**
 * Counts records accepted and not yet done, pauses the source at `maxInFlight` and resumes it
 * once half the room is free again.
 */
export class Backpressure {
  /** Records accepted and neither done nor abandoned. */
  inFlight = 0;
  paused = false;
  private waiters: (() => void)[] = [];
  private stopping = false;

  constructor(
    private readonly maxInFlight: number,
    private readonly partitions: Partitions,
    private readonly session: () => SourceSession | undefined,
    private readonly emit: (event: RuntimeEvent) => void,
  ) {}

  /** After `n` more records came in: resolved while there is room, else once there is again. */
  room(): Promise<void> {
    if (this.inFlight < this.maxInFlight) return RESOLVED;
    this.pause();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** `n` records are done: frees their room and resumes the source when enough is free. */
  free(n: number): void {
    this.inFlight -= n;
    if (this.paused) this.maybeResume();
  }

  /** Pauses the source (at capacity, or for good when stopping). */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.session()?.pause([...this.partitions.values()]);
    this.emit({ type: 'paused' });
  }

  /** The run is stopping: the source is not resumed again. */
  stop(): void {
    this.stopping = true;
  }

  private maybeResume(): void {
    if (this.stopping) return;
    if (this.inFlight > this.maxInFlight / 2) return;
    this.paused = false;
    this.session()?.resume([...this.partitions.values()]);
    this.emit({ type: 'resumed' });
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
