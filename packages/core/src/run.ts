import { TributaryError } from './errors.js';
import { resolveOptions } from './internal/resolveOptions.js';
import { Runtime } from './internal/runtime.js';
import type { Pipeline } from './pipeline.js';
import type { RunHandle } from './runHandle.js';
import type { RunOptions } from './runOptions.js';

export type { RunHandle, RunSummary } from './runHandle.js';
export type { PipelineSnapshot, RunOptions } from './runOptions.js';

/** Starts `pipeline` and returns its handle at once; the work goes on in the background. */
export function run<V>(pipeline: Pipeline<V>, options: RunOptions = {}): RunHandle {
  if (pipeline?._tag !== 'Pipeline') {
    throw new TributaryError(
      'INVALID_PIPELINE',
      'run(): pass a pipeline built with pipeline(source)…to(sink)',
    );
  }
  // The runtime moves values of every step's type; the types were checked by the builder.
  return new Runtime(pipeline as unknown as Pipeline<unknown>, resolveOptions(options));
}
