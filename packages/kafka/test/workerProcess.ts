import type { RunHandle } from '@tributary/core';
import { type KafkaBus, kafkaBus } from '../src/index.js';
import type { Client } from './clients.js';

/** What every worker script gets in TRIBUTARY_WORKER (as JSON), besides its own settings. */
export interface WorkerBase {
  brokers: string;
  client: Client;
  name: string;
}

/** The worker's config from TRIBUTARY_WORKER. */
export function workerConfig<C extends WorkerBase>(): C {
  return JSON.parse(process.env.TRIBUTARY_WORKER ?? '{}') as C;
}

/**
 * The worker's bus: quiet, with a short session so a killed worker leaves the group soon;
 * with `exactlyOnce`, transactional under the id `<group>-<name>`.
 */
export function workerBus(cfg: WorkerBase & { group: string; exactlyOnce?: boolean }): KafkaBus {
  return kafkaBus({
    brokers: cfg.brokers,
    client: cfg.client,
    clientId: cfg.name,
    logLevel: 'nothing',
    consumer: { sessionTimeoutMs: 6000, heartbeatIntervalMs: 500 },
    ...(cfg.exactlyOnce
      ? {
          exactlyOnce: {
            transactionalId: `${cfg.group}-${cfg.name}`,
            transactionTimeoutMs: 10_000,
          },
        }
      : {}),
  });
}

/**
 * The end of a worker script: SIGTERM stops `handle` gracefully and closes `bus`, a failed
 * run exits with 1, and `started` tells spawnWorker (./helpers.ts) that the pipeline runs.
 */
export function serveWorker(handle: RunHandle, bus: KafkaBus): void {
  process.on('SIGTERM', () => {
    void handle
      .stop()
      .then(() => bus.close())
      .then(() => process.exit(0));
  });
  handle.done.catch((error: unknown) => {
    console.error('worker failed', error);
    process.exit(1);
  });
  console.log('started');
}
