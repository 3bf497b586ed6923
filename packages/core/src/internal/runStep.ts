import type { StepMetrics } from '../metrics.js';
import type { Pipeline, Step } from '../pipeline.js';
import type { Headers, Key } from '../record.js';
import type { Emit } from '../stage.js';
import type { Item } from './item.js';

/** A pipeline step as the runtime runs it: its place, its metrics and its error code. */
export interface RunStep extends Step {
  readonly index: number;
  readonly metrics: StepMetrics;
  readonly code: string;
}

/** Key, headers and timestamp an `emit()` set for the outputs after it (undefined: the record's). */
export interface OutMeta {
  readonly key?: Key | undefined;
  readonly headers?: Headers | undefined;
  readonly timestamp?: number | undefined;
}

const newStepMetrics = (): StepMetrics => ({
  in: 0,
  out: 0,
  errors: 0,
  retries: 0,
  deadLettered: 0,
  skipped: 0,
  failed: 0,
  custom: {},
});

/** The pipeline's steps, with the source's decode as step 0 when it has one. */
export function runSteps(pipeline: Pipeline<unknown>): RunStep[] {
  const source = pipeline.source;
  const decode = source.decode;
  const all: Step[] =
    decode === undefined
      ? [...pipeline.steps]
      : [
          {
            name: `${source.name}.decode`,
            stage: {
              // The raw value is the record's: decode it with the record at hand.
              process: (_raw, ctx) => {
                const { rec } = (ctx as unknown as { item: Item }).item;
                return decode(rec.value, rec);
              },
            },
            retry: undefined,
            onError: undefined,
          },
          ...pipeline.steps,
        ];
  return all.map((s, index) => ({
    ...s,
    index,
    metrics: newStepMetrics(),
    code: index === 0 && decode !== undefined ? 'DECODE_FAILED' : 'STAGE_FAILED',
  }));
}

/** The outputs of an `emit()` keep what it did not set from the meta before it. */
export function mergeMeta(meta: OutMeta | undefined, e: Emit<unknown>): OutMeta {
  return {
    key: e.key !== undefined ? e.key : meta?.key,
    headers: e.headers ?? meta?.headers,
    timestamp: e.timestamp ?? meta?.timestamp,
  };
}
