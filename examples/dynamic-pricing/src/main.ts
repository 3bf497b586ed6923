import { type Bus, memoryBus, silentLogger } from '@tributary/core';
import { dashboard } from '@tributary/dashboard';
import { Presets, SingleBar } from 'cli-progress';
import { market } from './market.js';
import { oraclePrice } from './oracle.js';
import { writeRegretPlot } from './plot.js';
import { formatReport, pricingReport } from './report.js';
import type { Sale } from './shoppers.js';
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
// --dashboard: a live page of both pipelines and the regret, kept up after the run until Ctrl+C.
const dash = args.includes('--dashboard')
  ? await dashboard({
      port: arg('dashboard-port', 9465),
      intervalMs: 250,
      title: 'Tributary: dynamic pricing',
    })
  : undefined;
if (dash) console.log(`dashboard: ${dash.url}`);

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
  // Live regret for the dashboard: oracle revenue minus policy revenue, over the quotes answered.
  let sales: readonly Sale[] = [];
  let counted = 0;
  let regret = 0;
  const result = await simulate({
    bus,
    market: m,
    suffix,
    logger: silentLogger,
    onStart: (live) => {
      sales = live.sales;
      dash?.add(`pricing service (seed ${seed})`, live.service, {
        series: { 'regret vs oracle (cumulative)': () => regret },
      });
      dash?.add(`simulated market (seed ${seed})`, live.market);
    },
    onHour: (h) => {
      quotes += m.requests(h).length;
      bar.update(h + 1, { day: Math.floor((h + 1) / 24), quotes });
      for (; dash && counted < sales.length; counted++) {
        const s = sales[counted]!;
        const oracle = oraclePrice(m, s.request);
        regret += (m.buys(s.request, oracle) ? oracle : 0) - (s.sold ? s.price : 0);
      }
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
if (dash) {
  console.log(`\ndashboard still at ${dash.url}; Ctrl+C to quit`);
  await new Promise((resolve) => process.once('SIGINT', resolve));
  await dash.close();
}
