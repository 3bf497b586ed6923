import { jsonSerde, memoryBus, run } from '@tributary/core';
import { Presets, SingleBar } from 'cli-progress';
import { quickstartPipeline, type Scored } from './quickstart.js';
import { paymentStream } from './transactions.js';

const total = 200_000;
const bus = memoryBus({ partitions: 4 });
bus.produce('payments', paymentStream(total));

console.log(`Tributary quickstart: ${total.toLocaleString()} payments on the embedded bus`);
const bar = new SingleBar(
  {
    format: ' {bar} {percentage}% | {value}/{total} records | {rate} rec/s',
    noTTYOutput: true,
    notTTYSchedule: 500,
  },
  Presets.shades_classic,
);
bar.start(total, 0, { rate: 0 });
const started = performance.now();
const handle = run(quickstartPipeline(bus, { stopAtEnd: true }), { handleSignals: true });
const timer = setInterval(() => {
  const done = handle.metrics().recordsDone;
  bar.update(done, { rate: Math.round(done / ((performance.now() - started) / 1000)) });
}, 100);

const summary = await handle.done;
clearInterval(timer);
bar.update(summary.recordsDone, {
  rate: Math.round(summary.recordsDone / (summary.durationMs / 1000)),
});
bar.stop();

const alerts = bus.records('alerts', jsonSerde<Scored>());
const latency = summary.metrics.latencyMs;
console.log('\nSummary');
console.log(`  records in        ${summary.recordsIn}`);
console.log(`  records done      ${summary.recordsDone}`);
console.log(`  scores written    ${bus.records('scores').length}`);
console.log(`  alerts            ${alerts.length}`);
console.log(`  dead letters      ${summary.deadLettered} (malformed JSON, reason in headers)`);
console.log(
  `  committed         ${summary.committed.map((c) => `p${c.partition}@${c.offset}`).join(' ')}`,
);
console.log(
  `  throughput        ${Math.round(summary.recordsDone / (summary.durationMs / 1000)).toLocaleString()} records/s`,
);
console.log(`  mean latency      ${(latency.sum / Math.max(1, latency.count)).toFixed(2)} ms`);
console.log('  top alerts:');
for (const a of [...alerts].sort((x, y) => y.value.z - x.value.z).slice(0, 3)) {
  console.log(
    `    ${a.value.card} paid ${a.value.amount.toFixed(2)} (usual ${a.value.mean.toFixed(2)}, z=${a.value.z.toFixed(1)})`,
  );
}
