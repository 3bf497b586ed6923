/**
 * A fraud-flow worker for the crash test (flow.crash.int.test.ts): runs the flow on the topics
 * of `suffix` in `group`, durable on Kafka (kafkaDurable.ts), and prints `stats <json>` after
 * each commit and `restored <json>` when it resumed from a checkpoint: the label join's stats
 * (this process's counts) and the records its classifier has learnt (the model's own count,
 * which a checkpoint carries), and `assigned <json>` / `revoked <json>` with the partitions of each
 * rebalance. Config comes as JSON in TRIBUTARY_WORKER; SIGTERM stops it.
 */
import { run, silentLogger } from '@tributary/core';
import { kafkaModelStore } from '@tributary/kafka';
import {
  serveWorker,
  type WorkerBase,
  workerBus,
  workerConfig,
} from '../../../packages/kafka/test/workerProcess.js';
import { fraudFlow } from './flow.js';
import { durableOnKafka } from './kafkaDurable.js';
import { fraudTopics } from './schema.js';

interface CrashWorkerConfig extends WorkerBase {
  group: string;
  suffix: string;
}

const cfg = workerConfig<CrashWorkerConfig>();
const bus = workerBus(cfg);
const topics = fraudTopics(cfg.suffix);
const store = kafkaModelStore(bus, { topic: topics.models, keep: 3 });
const durable = durableOnKafka(bus, store, topics);
const flow = fraudFlow({
  bus,
  topics,
  store,
  group: cfg.group,
  mode: 'cards',
  pseudonymKey: 'integration-test-pseudonym-key!!',
  publishEvery: 200,
  pending: durable.pending,
});
const stats = () =>
  JSON.stringify({
    ...flow.labels.stats(),
    learnt: (flow.labels.model.snapshot?.() as { state?: { records?: number } } | undefined)?.state
      ?.records,
  });
const handle = run(flow.pipeline, {
  ...durable.run,
  name: cfg.name,
  logger: silentLogger,
  commitIntervalMs: 200,
  onEvent: (e) => {
    if (e.type === 'checkpoint' && e.action === 'restored') console.log(`restored ${stats()}`);
    if (e.type === 'commit') console.log(`stats ${stats()}`);
    if (e.type === 'assigned' || e.type === 'revoked')
      console.log(`${e.type} ${JSON.stringify(e.partitions)}`);
    if (e.type === 'error') console.error('worker error', e.error);
  },
});
handle.done.then(() => console.log(`stats ${stats()}`)).catch(() => {});
serveWorker(handle, bus);
