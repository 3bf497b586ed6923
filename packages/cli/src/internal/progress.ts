import { SingleBar } from 'cli-progress';
import type { CliIo } from '../cliIo.js';

/** A progress bar on stderr, or nothing when stderr is not a terminal, with `--json` or `--no-progress`. */
export interface Progress {
  increment(n?: number): void;
  stop(): void;
}

const none: Progress = { increment() {}, stop() {} };

/** Starts a bar of `total` units named `label` when progress may be shown. */
export function progress(
  io: CliIo,
  enabled: boolean,
  label: string,
  total: number,
  unit = 'records',
): Progress {
  if (!enabled || io.stderr.isTTY !== true || total <= 0) return none;
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% {value}/{total} ${unit} {eta_formatted}`,
    stream: io.stderr as unknown as NodeJS.WritableStream,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return {
    increment: (n = 1) => bar.increment(n),
    stop: () => bar.stop(),
  };
}
