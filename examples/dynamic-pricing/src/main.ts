import { type Bus, memoryBus, silentLogger } from '@tributary/core';
import { Presets, SingleBar } from 'cli-progress';
import { market } from './market.js';
import { writeRegretPlot } from './plot.js';
import { formatReport, pricingReport } from './report.js';
import { simulate } from './simulation.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`);
  return v;
};
const seeds = args.includes('--seed') ? [arg('seed', 1)] : [1, 2];
const days = arg('days', 30);
const brokers = process.env.KAFKA_BROKERS;

async function makeBus(): Promise<Bus> {
  if (!brokers) return memoryBus({ partitions: 3 });
  const { kafkaBus } = await import('@tributary/kafka');
  return kafkaBus({ brokers: brokers.split(',') });
}

let allMet = true;
for (const seed of seeds) {
  const m = market({ seed, days });
  const bus = await makeBus();
  // On a cluster, fresh topic and group names per run, so an earlier run's records are not read.
  const suffix = brokers ? `-${Date.now().toString(36)}` : '';
  console.log(
    `\nSeed ${seed}: ${days} simulated days on ${brokers ? `Kafka (${brokers})` : 'the embedded bus'}`,
  );
  const bar = new SingleBar(
    {
      format: ' {bar} {percentage}% | day {day}/{days} | {quotes} quotes',
      noTTYOutput: true,
      notTTYSchedule: 2000,
    },
    Presets.shades_classic,
  );
  bar.start(m.hours, 0, { day: 0, days, quotes: 0 });
  let quotes = 0;
  const result = await simulate({
    bus,
    market: m,
    suffix,
    logger: silentLogger,
    onHour: (h) => {
      quotes += m.requests(h).length;
      bar.update(h + 1, { day: Math.floor((h + 1) / 24), quotes });
    },
  });
  bar.stop();
  await bus.close();
  const report = pricingReport(m, result.sales, {
    detections: result.stage.detections,
    joins: result.stage.pending.counts,
  });
  console.log(
    `${(result.durationMs / 1000).toFixed(1)} s; topics ${Object.values(result.topics).join(', ')}\n`,
  );
  console.log(formatReport(report));
  const file = `pricing-regret-seed${seed}.svg`;
  await writeRegretPlot(report, file);
  console.log(`\nplot written to ${file}`);
  allMet &&= report.targetsMet;
}
if (!allMet) process.exitCode = 1;
