import type { ErrorPolicy } from '../errorPolicy.js';
import type { Logger } from '../logger.js';
import type { TRecord } from '../record.js';
import { isEmit, isMany, type StageEndContext } from '../stage.js';
import type { StateStore } from '../state.js';
import type { Completion } from './completion.js';
import type { ErrorHandler } from './errorHandler.js';
import { END_SEQ, type Item, type Part } from './item.js';
import type { Partitions } from './partitions.js';
import { RecordContext } from './recordContext.js';
import type { OutMeta } from './runStep.js';
import type { StepRunner } from './stepRunner.js';

/** What the end-of-input hooks need around them. */
export interface EndInputHost {
  readonly state: StateStore;
  readonly logger: Logger;
  readonly onError: ErrorPolicy;
  readonly partitions: Partitions;
  readonly runner: StepRunner;
  readonly errors: ErrorHandler;
  readonly completion: Completion;
  /** True once the run failed or was aborted: nothing more is started. */
  stopped(): boolean;
  fatal(error: unknown): void;
}

/**
 * Input ended: each stage's `end` per assigned partition, its outputs through the later steps
 * to the sinks, under the same error policies; not records, so neither counted nor committed.
 * False when it gave up because the run failed or was aborted.
 */
export async function endInput(host: EndInputHost, reason: 'end' | 'stop'): Promise<boolean> {
  const { runner, completion } = host;
  for (const step of runner.steps) {
    const end = step.stage.end;
    if (end === undefined) continue;
    for (const part of [...host.partitions.values()]) {
      if (host.stopped()) return false;
      if (part.revoked) continue;
      const ctx = new RecordContext(host.state, host.logger, part.signal);
      ctx.step = step;
      // Stands for the partition while `end` runs: what its error policy sees.
      const hook = endItem(part, null, undefined);
      ctx.item = hook;
      const endCtx: StageEndContext = {
        stage: step.name,
        topic: part.topic,
        partition: part.partition,
        reason,
        partitionState: ctx.partitionState,
        log: host.logger,
        count: (metric, by) => ctx.count(metric, by),
        signal: part.signal,
      };
      let out: unknown;
      try {
        out = await end.call(step.stage, endCtx);
      } catch (error) {
        step.metrics.errors++;
        host.errors.apply(step, step.onError ?? host.onError, hook, error, 1);
      }
      completion.release(hook);
      if (out === undefined) continue;
      const outputs = isMany(out) ? out.items : [out];
      step.metrics.out += outputs.length;
      for (const o of outputs) {
        if (host.stopped()) return false;
        const item = isEmit(o) ? endItem(part, o.value, o) : endItem(part, o, undefined);
        ctx.item = item;
        ctx.meta = undefined;
        try {
          await runner.runFrom(step.index + 1, item.rec.value, ctx);
        } catch (error) {
          host.fatal(error);
          return false;
        }
        completion.release(item);
      }
    }
  }
  return true;
}

/** An item for an `end` output: the partition's, with the output's key and timestamp, no offset. */
function endItem(part: Part, value: unknown, meta: OutMeta | undefined): Item {
  part.live++;
  const rec: TRecord<unknown> = {
    topic: part.topic,
    partition: part.partition,
    offset: -1,
    key: meta?.key ?? null,
    value,
    headers: meta?.headers ?? {},
    timestamp: meta?.timestamp ?? Date.now(),
  };
  return { rec, part, seq: END_SEQ, pending: 1, delivery: { t0: performance.now() } };
}
