/**
 * Fraud-detection benchmark (issue 9): the whole examples/fraud-detection flow on the memory
 * bus (transactions/s, each stage's share of the time), then on the local broker at a fixed
 * input rate (p50/p99 of the runtime's delivery → done latency).
 *
 *   npx tsx bench/src/fraud.ts [-n 200000] [--rate 5000] [--seconds 20] [--no-kafka]
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type HistogramSnapshot, memoryBus } from '@tributary/core';
import { memoryModelStore } from '@tributary/learn';
import { Command } from 'commander';
import { generateTransactions } from '../../examples/fraud-detection/src/generator.js';
import { histogramQuantile } from '../../examples/fraud-detection/src/summary.js';
import { fraudRun, type StageTimes } from './fraudScenario.js';

const opts = new Command()
  .option(
    '-n, --transactions <n>',
    'transactions (memory bus)',
    (v) => Number.parseInt(v, 10),
    200_000,
  )
  .option(
    '--rate <n>',
    'transactions/s for the Kafka latency run',
    (v) => Number.parseInt(v, 10),
    5000,
  )
  .option('--seconds <n>', 'length of the Kafka run', (v) => Number.parseInt(v, 10), 20)
  .option(
    '-b, --brokers <list>',
    'bootstrap brokers',
    process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  )
  .option('--clients <list>', 'Kafka clients', 'confluent-native,confluent,kafkajs')
  .option('--profile <name>', 'Kafka run profile: latency or throughput', 'latency')
  .option(
    '--warmup <s>',
    'seconds of the Kafka run left out of the steady-state latency',
    (v) => Number.parseFloat(v),
    5,
  )
  .option('--no-kafka', 'skip the Kafka run')
  .parse()
  .opts<{
    transactions: number;
    rate: number;
    seconds: number;
    brokers: string;
    clients: string;
    profile: string;
    warmup: number;
    kafka: boolean;
  }>();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
/** The main thread's time on a CPU and waiting for one, in ms (Linux schedstat; undefined elsewhere). */
const schedstat = (): [number, number] | undefined => {
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ');
    return [Number(run) / 1e6, Number(wait) / 1e6];
  } catch {
    return undefined;
  }
};

const replay = generateTransactions({ transactions: opts.transactions, cards: 4000 });
console.log(`# Fraud flow, memory bus: ${replay.description}`);
// Warm-up on a smaller replay, then one timed run and one with per-stage timers.
await fraudRun(
  memoryBus({ partitions: 4 }),
  memoryModelStore(),
  generateTransactions({ transactions: 20_000 }),
);
const cpu0 = process.cpuUsage();
const sched0 = schedstat();
const wall0 = performance.now();
const plain = await fraudRun(memoryBus({ partitions: 4 }), memoryModelStore({ keep: 5 }), replay);
const cpu = process.cpuUsage(cpu0);
const sched1 = schedstat();
const wall = performance.now() - wall0;
const cpuS = (cpu.user + cpu.system) / 1e6;
// On a shared machine wall time depends on the other jobs; CPU time is this process's own work.
console.log(
  `whole flow: ${fmt(plain.transactions / (plain.durationMs / 1000))} transactions/s of wall time (${(plain.durationMs / 1000).toFixed(1)} s), ${fmt(plain.transactions / cpuS)} transactions per CPU second (${cpuS.toFixed(1)} s CPU); ROC AUC ${plain.metrics.rocAuc?.toFixed(3)}, last 20k labels ${plain.metrics['rolling(rocAuc,20000)']?.toFixed(3)}`,
);
if (sched0 !== undefined && sched1 !== undefined) {
  // Wall time of the flow's thread split: on a CPU, runnable but waiting for one (other jobs on
  // the machine), and idle (the flow itself waiting: timers, the replay, the sinks).
  const onCpu = sched1[0] - sched0[0];
  const queued = sched1[1] - sched0[1];
  const idle = Math.max(0, wall - onCpu - queued);
  console.log(
    `main thread: ${(onCpu / 1000).toFixed(1)} s on a CPU (${fmt(plain.transactions / (onCpu / 1000))} transactions/s), ${(queued / 1000).toFixed(1)} s waiting for a CPU, ${(idle / 1000).toFixed(1)} s idle`,
  );
}
const times: StageTimes = new Map();
const timedRun = await fraudRun(
  memoryBus({ partitions: 4 }),
  memoryModelStore({ keep: 5 }),
  replay,
  { times },
);
const inStages = [...times.values()].reduce((a, b) => a + b, 0);
console.log(`\n| stage | share of run time | µs per record |\n|---|---:|---:|`);
for (const [name, ms] of [...times].sort((a, b) => b[1] - a[1])) {
  console.log(
    `| ${name} | ${((ms / timedRun.durationMs) * 100).toFixed(1)} % | ${((ms * 1000) / timedRun.summary.recordsDone).toFixed(1)} |`,
  );
}
console.log(
  `| runtime, sinks, replay (rest) | ${(((timedRun.durationMs - inStages) / timedRun.durationMs) * 100).toFixed(1)} % | |`,
);

if (opts.kafka) {
  const { kafkaBus, kafkaModelStore, kafkaRunProfile } = await import('@tributary/kafka');
  const profile = opts.profile as 'latency' | 'throughput';
  const perRun = generateTransactions({
    transactions: opts.rate * opts.seconds,
    cards: 4000,
    seed: 9,
  });
  console.log(
    `\n# Fraud flow on Kafka at ${fmt(opts.rate)} input records/s for ${opts.seconds} s, ${profile} profile`,
  );
  console.log(
    `| client | records/s reached | p50 (ms) | p99 (ms) | after ${opts.warmup} s: p50 / p99 (ms) | after ${opts.warmup} s: event-loop delay p99 / max (ms) | after ${opts.warmup} s: GC pauses longest (ms), share of time |\n|---|---:|---:|---:|---:|---:|---:|`,
  );
  for (const client of opts.clients.split(',') as (
    | 'kafkajs'
    | 'confluent'
    | 'confluent-native'
  )[]) {
    const bus = kafkaBus({ brokers: opts.brokers.split(','), client, profile, logLevel: 'error' });
    const suffix = `bench-${randomUUID().slice(0, 8)}`;
    const inputs = ['transactions', 'chargebacks'].map((t) => ({
      topic: `${t}-${suffix}`,
      partitions: 4,
    }));
    await bus.admin.ensureTopics(inputs);
    const inputPartitions = inputs.reduce((n, t) => n + t.partitions, 0);
    const store = kafkaModelStore(bus, { topic: `fraud-models-${suffix}`, keep: 5 });
    // The latency histogram as it was once the warm-up (group join, JIT) was over; from then
    // on, how long the event loop was held (the flow's own stalls) and the GC pauses in it.
    let atWarmup: HistogramSnapshot | undefined;
    let warmAt = 0;
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    let gcLongest = 0;
    let gcTotal = 0;
    const gc = new PerformanceObserver((list) => {
      if (warmAt === 0) return;
      for (const e of list.getEntries()) {
        gcLongest = Math.max(gcLongest, e.duration);
        gcTotal += e.duration;
      }
    });
    gc.observe({ entryTypes: ['gc'] });
    const r = await fraudRun(bus, store, perRun, {
      suffix,
      rate: opts.rate,
      run: kafkaRunProfile(profile),
      // Input starts once the flow's group has every input partition, as
      // for a service that is up: records written during the join would wait in a backlog
      // that measures the join, not the flow. The warm-up figure still holds the first JIT.
      onStart: async (handle) => {
        const deadline = Date.now() + 60_000;
        while (handle.metrics().assigned.length < inputPartitions && Date.now() < deadline) {
          await sleep(50);
        }
        setTimeout(() => {
          atWarmup = handle.metrics().latencyMs;
          warmAt = performance.now();
          loopDelay.enable();
        }, opts.warmup * 1000).unref();
      },
    });
    loopDelay.disable();
    gc.disconnect();
    const steadyMs = warmAt > 0 ? performance.now() - warmAt : Number.NaN;
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    const gcShare = gcTotal / steadyMs;
    const lat = r.summary.metrics.latencyMs;
    const w = atWarmup;
    const steady =
      w === undefined
        ? lat
        : {
            ...lat,
            counts: lat.counts.map((c, i) => c - (w.counts[i] ?? 0)),
            count: lat.count - w.count,
            sum: lat.sum - w.sum,
          };
    console.log(
      `| ${client} | ${fmt(r.summary.recordsDone / (r.durationMs / 1000))} | ${histogramQuantile(lat, 0.5)} | ${histogramQuantile(lat, 0.99)} | ${histogramQuantile(steady, 0.5)} / ${histogramQuantile(steady, 0.99)} | ${ms(loopDelay.percentile(99))} / ${ms(loopDelay.max)} | ${gcLongest.toFixed(1)}, ${(gcShare * 100).toFixed(1)} % |`,
    );
    await store.close?.();
    await bus.close();
  }
}
process.exit(0);
