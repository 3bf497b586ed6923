/**
 * A learner worker for the checkpoint crash test: trains a Gaussian naive Bayes on `input`
 * in `group`, checkpoints it to a kafkaModelStore on `models`, and writes each record's id
 * with the number of records the model has learnt so far to `output`.
 * Config comes as JSON in TRIBUTARY_WORKER; SIGTERM stops it gracefully.
 */
import { pipeline, run, silentLogger, sleep } from '@tributary/core';
import { gaussianNaiveBayes, trainModel } from '@tributary/learn';
import { kafkaModelStore } from '../src/index.js';
import { serveWorker, type WorkerBase, workerBus, workerConfig } from './workerProcess.js';

interface LearnerWorkerConfig extends WorkerBase {
  group: string;
  input: string;
  output: string;
  models: string;
  delayMs: number;
  exactlyOnce?: boolean;
}

interface Labelled {
  id: number;
  x: number;
  y: number;
}

const cfg = workerConfig<LearnerWorkerConfig>();
const bus = workerBus(cfg);
const model = gaussianNaiveBayes();
/** Records learnt: the class weights sum to one per record. */
const learnt = () =>
  ((model.snapshot().state as { counts: number[] }).counts ?? []).reduce((a, b) => a + b, 0);

const p = pipeline(bus.source({ topic: cfg.input, group: cfg.group }))
  .pipe((value) => JSON.parse(Buffer.from(value as Uint8Array).toString('utf8')) as Labelled)
  .pipe(trainModel(model, { features: (r) => Float64Array.of(r.x), label: (r) => r.y }))
  .pipe(async (r) => {
    const n = learnt();
    await sleep(cfg.delayMs);
    return JSON.stringify({ id: r.id, learnt: n, worker: cfg.name });
  })
  .to(bus.sink({ topic: cfg.output }));

const handle = run(p, {
  name: cfg.name,
  logger: silentLogger,
  commitIntervalMs: 200,
  checkpoint: { store: kafkaModelStore(bus, { topic: cfg.models, keep: 3 }), name: 'learner' },
  onEvent: (e) => {
    if (e.type === 'checkpoint') console.log(`checkpoint ${e.action} ${JSON.stringify(e.offsets)}`);
    if (e.type === 'commit') console.log('commit');
    if (e.type === 'error') console.error('worker error', e.error);
  },
});
serveWorker(handle, bus);
