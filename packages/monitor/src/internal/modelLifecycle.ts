import { TributaryError } from '@tributary/core';
import type { DriftEvent } from '../driftEvent.js';
import type { OnlineModel } from '../onlineModel.js';
import type { DriftAction } from '../prequentialOptions.js';

/** The model of an evaluation stage: replaced on drift (`'reset'` clones it, a function may swap it), snapshot and restore. */
export class ModelLifecycle<X, Y, P, Q> {
  constructor(
    public model: OnlineModel<X, Y, P, Q>,
    private readonly onDrift: DriftAction<X, Y, P, Q>,
  ) {}

  /** A drift was detected: applies the action and says what it did. */
  drifted(info: Omit<DriftEvent, 'action'>): DriftEvent['action'] {
    const { onDrift } = this;
    if (onDrift === 'reset') {
      // Checked when the stage was made: 'reset' needs clone().
      this.model = this.model.clone!();
      return 'reset';
    }
    if (typeof onDrift === 'function') {
      const next = onDrift(this.model, info);
      if (next !== undefined) {
        this.model = next;
        return 'swap';
      }
    }
    return 'none';
  }

  /** The model's snapshot, null when it takes none. */
  snapshot(): unknown {
    return this.model.snapshot?.() ?? null;
  }

  /** Restores the model from `snapshot` (null/undefined: leaves it); MONITOR_SNAPSHOT_INVALID when it cannot restore. */
  restore(snapshot: unknown, stage: string): void {
    if (snapshot === null || snapshot === undefined) return;
    if (typeof this.model.restore !== 'function') {
      throw new TributaryError(
        'MONITOR_SNAPSHOT_INVALID',
        `${stage}.restore(): the model cannot restore`,
        {
          details: { stage },
        },
      );
    }
    this.model.restore(snapshot);
  }
}
