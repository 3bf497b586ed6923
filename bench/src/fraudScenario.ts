import type { Bus, RunHandle, RunOptions, StageContext } from '@tributary/core';
import type { ModelStore } from '@tributary/learn';
import { type FraudRunResult, runFraud } from '../../examples/fraud-detection/src/flow.js';
import type { Replay } from '../../examples/fraud-detection/src/replayRecord.js';
import { fraudTopics } from '../../examples/fraud-detection/src/schema.js';

/** Time spent in each step's `process`, in ms (synchronous work; promises are not awaited). */
export type StageTimes = Map<string, number>;

/** A stage wrapper that adds the time of each `process` call to `times[name]`. */
export function timed(times: StageTimes) {
  return <S>(name: string, stage: S): S => {
    const s = (typeof stage === 'function' ? { process: stage } : stage) as {
      process: (v: unknown, c: StageContext) => unknown;
    };
    const inner = s.process;
    const wrapped = Object.create(s) as typeof s;
    wrapped.process = (v, c) => {
      const t = performance.now();
      const out = inner.call(s, v, c);
      times.set(name, (times.get(name) ?? 0) + performance.now() - t);
      return out;
    };
    return wrapped as S;
  };
}

/** One run of the fraud flow over `replay` on `bus`. */
export function fraudRun(
  bus: Bus,
  store: ModelStore,
  replay: Replay,
  options: {
    suffix?: string;
    rate?: number;
    times?: StageTimes;
    onProgress?: (done: number, total: number) => void;
    run?: RunOptions;
    onStart?: (handle: RunHandle) => void | Promise<void>;
  } = {},
): Promise<FraudRunResult> {
  return runFraud({
    bus,
    topics: fraudTopics(options.suffix ?? ''),
    store,
    replay,
    mode: replay.mode,
    pseudonymKey: 'benchmark-pseudonym-key-32-bytes',
    ...(options.rate === undefined ? {} : { rate: options.rate, chunk: 50 }),
    ...(options.times === undefined ? {} : { instrument: timed(options.times) }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.run === undefined ? {} : { run: options.run }),
    ...(options.onStart === undefined ? {} : { onStart: options.onStart }),
  });
}
