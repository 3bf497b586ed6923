import type { CheckpointMetrics, CheckpointOptions } from '../checkpoint.js';
import { errorMessage, TributaryError } from '../errors.js';
import type { JsonValue } from '../jsonValue.js';
import type { Logger } from '../logger.js';
import type { RuntimeEvent } from '../metrics.js';
import type { LearnerSnapshot, ModelVersion } from '../modelStore.js';
import type { TopicPartitionOffset } from '../record.js';
import type { PipelineSnapshot } from '../runOptions.js';
import type { RunStep } from './runStep.js';

/** The `type` of a checkpoint's envelope in the store, told apart from learner snapshots. */
const CHECKPOINT_TYPE = 'tributary.checkpoint';

/** What the checkpointer needs around it. */
export interface CheckpointerHost {
  readonly name: string;
  readonly logger: Logger;
  readonly steps: readonly RunStep[];
  emit(event: RuntimeEvent): void;
}

/**
 * Saves the stages' snapshots to a model store, called by the committer before it commits
 * (so a checkpoint holds at least the records of the offsets it precedes), and loads the
 * newest at start. Touches nothing on the path of a record.
 */
export class Checkpointer {
  private saved = 0;
  private failed = 0;
  private version: number | undefined;
  private savedAt: number | undefined;
  /** performance.now() of the last save; -Infinity so the first commit saves. */
  private lastSave = Number.NEGATIVE_INFINITY;
  /** A commit went ahead without a checkpoint (everyMs), so the last one is behind it. */
  private behind = false;

  constructor(
    private readonly options: Required<CheckpointOptions>,
    private readonly host: CheckpointerHost,
  ) {}

  /**
   * Whether the coming commit saves a checkpoint first: `force` (revoke, stop) always when
   * there is something to save, else once `everyMs` passed. `offsets`: the commit has new ones.
   */
  due(offsets: boolean, force: boolean): boolean {
    if (!offsets) return force && this.behind;
    return force || performance.now() - this.lastSave >= this.options.everyMs;
  }

  /** A commit went ahead without a checkpoint before it. */
  committedWithout(): void {
    this.behind = true;
  }

  /**
   * Saves the stages' snapshots as covering `offsets` (every position after the commit).
   * False when the save failed: reported (log, counter, error event), and the commit waits.
   */
  async save(offsets: readonly TopicPartitionOffset[]): Promise<boolean> {
    const { store, name } = this.options;
    const stages: Record<string, JsonValue> = {};
    let saved: ModelVersion;
    try {
      for (const s of this.host.steps) {
        if (s.stage.snapshot) stages[s.name] = s.stage.snapshot() as JsonValue;
      }
      const snapshot: LearnerSnapshot = {
        type: CHECKPOINT_TYPE,
        version: 1,
        options: { pipeline: this.host.name },
        state: { stages },
      };
      saved = await store.save(name, snapshot, { offsets: offsets.map(position) });
    } catch (error) {
      this.failed++;
      const wrapped = new TributaryError(
        'CHECKPOINT_FAILED',
        `checkpoint ${name} not saved: ${errorMessage(error)}`,
        { cause: error, details: { name } },
      );
      this.host.logger.warn(
        `${this.host.name}: ${wrapped.message}; offsets stay uncommitted until the next commit saves one`,
      );
      this.host.emit({ type: 'error', error: wrapped });
      return false;
    }
    this.saved++;
    this.lastSave = performance.now();
    this.behind = false;
    this.adopt(saved);
    this.host.emit({ type: 'checkpoint', action: 'saved', name, version: saved.version, offsets });
    return true;
  }

  /**
   * Restores the stages from the newest checkpoint when there is one, then reports it. Throws
   * CHECKPOINT_LOAD_FAILED when the load fails (unless `onLoadError` is 'fresh') or a stage's
   * `restore` throws.
   */
  async restore(): Promise<void> {
    const { name } = this.options;
    const found = await this.load();
    if (found === undefined) return;
    const [model, snapshot] = found;
    restoreStages(
      this.host.steps,
      snapshot,
      (step, cause) =>
        new TributaryError(
          'CHECKPOINT_LOAD_FAILED',
          `checkpoint ${name} v${model.version}: step ${step} could not restore it: ${errorMessage(cause)}`,
          { cause, details: { name, version: model.version, step } },
        ),
    );
    this.adopt(model);
    this.host.emit({
      type: 'checkpoint',
      action: 'restored',
      name,
      version: model.version,
      offsets: snapshot.offsets,
    });
  }

  /** The newest checkpoint and its pipeline snapshot; undefined when none (or 'fresh' after a failure). */
  private async load(): Promise<[ModelVersion, PipelineSnapshot] | undefined> {
    const { store, name, onLoadError } = this.options;
    let found: ModelVersion | undefined;
    try {
      found = await store.load(name);
      return found === undefined ? undefined : [found, checkpointOf(found)];
    } catch (error) {
      const wrapped = new TributaryError(
        'CHECKPOINT_LOAD_FAILED',
        `checkpoint ${name} could not be loaded: ${errorMessage(error)}`,
        { cause: error, details: { name, version: found?.version } },
      );
      if (onLoadError === 'fail') throw wrapped;
      this.host.logger.warn(
        `${this.host.name}: ${wrapped.message}; starting fresh (onLoadError: 'fresh')`,
      );
      this.host.emit({ type: 'error', error: wrapped });
      return undefined;
    }
  }

  metrics(): CheckpointMetrics {
    const { saved, failed, version, savedAt } = this;
    return { name: this.options.name, saved, failed, version, savedAt };
  }

  private adopt(model: ModelVersion): void {
    this.version = model.version;
    this.savedAt = model.savedAt;
  }
}

function position(o: TopicPartitionOffset): { readonly [key: string]: JsonValue } {
  return { topic: o.topic, partition: o.partition, offset: o.offset };
}

/** The pipeline snapshot in a stored checkpoint; throws when `model` is not one. */
function checkpointOf(model: ModelVersion): PipelineSnapshot {
  const { snapshot, metadata } = model;
  const state = snapshot?.state as { stages?: unknown } | null | undefined;
  const stages = state?.stages;
  if (
    snapshot?.type !== CHECKPOINT_TYPE ||
    typeof stages !== 'object' ||
    stages === null ||
    Array.isArray(stages)
  ) {
    throw new Error(
      `version ${model.version} is not a pipeline checkpoint (type ${JSON.stringify(snapshot?.type)})`,
    );
  }
  const offsets = Array.isArray(metadata?.offsets)
    ? (metadata.offsets as unknown as TopicPartitionOffset[])
    : [];
  return { stages: stages as Record<string, unknown>, state: {}, offsets };
}

/**
 * Hands each stage with a `restore` its part of `snapshot`, before the first record; what a
 * stage's `restore` throws goes through `failed` (default: as is).
 */
export function restoreStages(
  steps: readonly RunStep[],
  snapshot: PipelineSnapshot,
  failed: (step: string, error: unknown) => unknown = (_, error) => error,
): void {
  for (const step of steps) {
    if (!step.stage.restore || !(step.name in snapshot.stages)) continue;
    try {
      step.stage.restore(snapshot.stages[step.name]);
    } catch (error) {
      throw failed(step.name, error);
    }
  }
}
