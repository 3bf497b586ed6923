import { Command } from 'commander';
import { runLoop, runPipeline, seedPayments, type Timing } from './coreScenario.js';

const program = new Command()
  .name('bench')
  .description('Tributary benchmarks (results are recorded in docs/benchmarks.md)')
  .option('-n, --records <n>', 'records per run', (v) => Number.parseInt(v, 10), 1_000_000)
  .option(
    '-r, --rounds <n>',
    'timed rounds of each contender (best is reported)',
    (v) => Number.parseInt(v, 10),
    7,
  )
  .parse();
const { records, rounds } = program.opts<{ records: number; rounds: number }>();

const rate = (t: Timing) => Math.round(t.records / (t.ms / 1000));
const fmt = (n: number) => n.toLocaleString('en-US');

console.log(
  `# In-memory scenario: ${fmt(records)} records, 3 stages, memory sink; best of ${rounds}`,
);
const bus = seedPayments(records);
// Warm-up so both contenders run optimised code.
await runLoop(bus);
await runPipeline(bus, 'warmup');
const ratios: number[] = [];
let bestLoop: Timing | undefined;
let bestPipe: Timing | undefined;
for (let i = 0; i < rounds; i++) {
  const loop = await runLoop(bus);
  const pipe = await runPipeline(bus, `round-${i}`);
  if (
    pipe.records !== records ||
    loop.records !== records ||
    Math.abs(pipe.checksum - loop.checksum) > 1e-6 * records
  ) {
    throw new Error(
      `contenders disagree: loop ${loop.records}/${loop.checksum}, pipeline ${pipe.records}/${pipe.checksum}`,
    );
  }
  ratios.push(pipe.ms / loop.ms);
  if (bestLoop === undefined || loop.ms < bestLoop.ms) bestLoop = loop;
  if (bestPipe === undefined || pipe.ms < bestPipe.ms) bestPipe = pipe;
  console.log(`round ${i + 1}: loop ${fmt(rate(loop))} rec/s, pipeline ${fmt(rate(pipe))} rec/s`);
}
if (bestLoop === undefined || bestPipe === undefined) throw new Error('no rounds run');
console.log('');
console.log('| contender | records/s | time (ms) |');
console.log('|---|---:|---:|');
console.log(`| hand-written loop | ${fmt(rate(bestLoop))} | ${bestLoop.ms.toFixed(0)} |`);
console.log(
  `| Tributary pipeline (memory bus) | ${fmt(rate(bestPipe))} | ${bestPipe.ms.toFixed(0)} |`,
);
const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)] as number;
console.log(
  `\npipeline time / loop time: best vs best ${(bestPipe.ms / bestLoop.ms).toFixed(2)}x, ` +
    `median of paired rounds ${median.toFixed(2)}x (target <= 1.5x)`,
);
