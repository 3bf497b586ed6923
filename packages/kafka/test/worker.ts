/**
 * A pipeline worker process for the scale-out and crash tests: reads `input` in `group`,
 * tags each JSON record with the worker's name and writes it to `output`.
 * Config comes as JSON in TRIBUTARY_WORKER; SIGTERM stops it gracefully.
 */
import { pipeline, run, silentLogger, sleep } from '@tributary/core';
import { serveWorker, type WorkerBase, workerBus, workerConfig } from './workerProcess.js';

interface WorkerConfig extends WorkerBase {
  group: string;
  input: string;
  output: string;
  exactlyOnce?: boolean;
  delayMs?: number;
}

const cfg = workerConfig<WorkerConfig>();
const bus = workerBus(cfg);

const p = pipeline(bus.source({ topic: cfg.input, group: cfg.group }))
  .pipe(async (value, ctx) => {
    const record = JSON.parse(Buffer.from(value as Uint8Array).toString('utf8')) as object;
    if (cfg.delayMs) await sleep(cfg.delayMs);
    return JSON.stringify({ ...record, worker: cfg.name, at: `${ctx.partition}:${ctx.offset}` });
  })
  .to(bus.sink({ topic: cfg.output }));

const handle = run(p, {
  name: cfg.name,
  logger: silentLogger,
  commitIntervalMs: 200,
  onEvent: (e) => {
    if (e.type === 'assigned') console.log(`assigned ${e.partitions.length}`);
  },
});
serveWorker(handle, bus);
